package io.pushhub.publish;

/**
 * Whether this node may acknowledge a publish: asked when the publish starts, and again once its
 * event is stored, before it is handed over and answered. In a cluster, a node cut off from the
 * majority may not, nor one that stood still or lost a member while it stored the event: the
 * store may then have counted a copy on a member that is gone as made.
 */
public interface AckGate {

  /** The gate of a node alone: always open. */
  AckGate ALWAYS = () -> () -> true;

  /** A ticket for a publish that starts now, or null when this node may not acknowledge at all. */
  Ticket open();

  /** One publish's passage through the gate. */
  interface Ticket {
    /** Whether the publish may be acknowledged now that its event is stored. */
    boolean stillValid();
  }
}
