package io.pushhub.mercure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Pattern selectors indexed by what a topic they match must look like, so that a topic is only
 * matched against those that could match it. A URI template matches only topics that start with
 * its literal text before its first expression and end with its literal text after its last one
 * (expressions match expansions, literals only themselves); templates sit in a character trie by
 * that prefix, each with its suffix, and {@code *} at the root. A lookup walks the trie along
 * the topic and offers the owner of every template whose prefix and suffix fit; the caller still
 * matches each against the topic ({@link Selectors#matches}, cached).
 *
 * <p>Confined to one event loop.
 *
 * @param <T> what owns the selectors (a group of subscribers)
 */
final class PatternIndex<T> {

  private final Node<T> root = new Node<>();

  /** Indexes each pattern selector of {@code selectors} for {@code owner}. */
  void add(Selectors selectors, T owner) {
    for (String selector : selectors.raw()) {
      Template key = Template.of(selector);
      node(key.prefix, true).entries.add(new Entry<>(key.suffix, key.prefix.length() + key.suffix.length(), owner));
    }
  }

  void remove(Selectors selectors, T owner) {
    for (String selector : selectors.raw()) {
      Template key = Template.of(selector);
      List<Node<T>> path = new ArrayList<>();
      Node<T> node = root;
      for (int i = 0; i < key.prefix.length() && node != null; i++) {
        path.add(node);
        node = node.children == null ? null : node.children.get(key.prefix.charAt(i));
      }
      if (node == null) {
        continue;
      }
      node.entries.removeIf(e -> e.owner == owner && e.suffix.equals(key.suffix));
      // Drops the branch's nodes left with nothing, from its end up.
      for (int i = path.size() - 1; i >= 0 && node.entries.isEmpty() && node.children == null; i--) {
        Node<T> parent = path.get(i);
        parent.children.remove(key.prefix.charAt(i));
        if (parent.children.isEmpty()) {
          parent.children = null;
        }
        node = parent;
      }
    }
  }

  /** Offers every owner with a selector that could match {@code topic}, once per such selector. */
  void candidates(String topic, Consumer<T> offer) {
    Node<T> node = root;
    int at = 0;
    while (node != null) {
      for (int i = 0; i < node.entries.size(); i++) {
        Entry<T> entry = node.entries.get(i);
        if (topic.length() >= entry.minLength && topic.endsWith(entry.suffix)) {
          offer.accept(entry.owner);
        }
      }
      node = at < topic.length() && node.children != null ? node.children.get(topic.charAt(at++)) : null;
    }
  }

  private Node<T> node(String prefix, boolean create) {
    Node<T> node = root;
    for (int i = 0; i < prefix.length() && node != null; i++) {
      if (node.children == null && create) {
        node.children = new HashMap<>();
      }
      Node<T> next = node.children == null ? null : node.children.get(prefix.charAt(i));
      if (next == null && create) {
        next = new Node<>();
        node.children.put(prefix.charAt(i), next);
      }
      node = next;
    }
    return node;
  }

  /** A template's literal ends: what precedes its first expression, and what follows its last. */
  private record Template(String prefix, String suffix) {
    static Template of(String selector) {
      int open = selector.indexOf('{');
      if (open < 0) {
        return new Template("", ""); // "*"
      }
      return new Template(selector.substring(0, open), selector.substring(selector.lastIndexOf('}') + 1));
    }
  }

  private record Entry<T>(String suffix, int minLength, T owner) {
  }

  private static final class Node<T> {
    final List<Entry<T>> entries = new ArrayList<>(1);
    Map<Character, Node<T>> children;
  }
}
