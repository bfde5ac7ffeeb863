package io.pushhub.auth;

import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** The JWT algorithm a PEM key signs or verifies with: RS256 for RSA keys, ES256 for EC keys. */
final class PemKeys {

  private static final String[][] TYPES = {{"RSA", "RS256"}, {"EC", "ES256"}};

  private PemKeys() {
  }

  /**
   * @param privateKey a PKCS#8 private key ({@code BEGIN PRIVATE KEY}), else an X.509 public key
   * @return RS256 or ES256, or null when the key is neither an RSA nor an EC key
   * @throws IllegalArgumentException when the PEM's body is not base64
   */
  static String jwtAlgorithm(String pem, boolean privateKey) {
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    for (String[] type : TYPES) {
      try {
        KeyFactory keys = KeyFactory.getInstance(type[0]);
        if (privateKey) {
          keys.generatePrivate(new PKCS8EncodedKeySpec(der));
        } else {
          keys.generatePublic(new X509EncodedKeySpec(der));
        }
        return type[1];
      } catch (Exception notThisType) {
        // try the next type
      }
    }
    return null;
  }
}
