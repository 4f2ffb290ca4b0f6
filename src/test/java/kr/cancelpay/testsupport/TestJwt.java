package kr.cancelpay.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import kr.cancelpay.security.Roles;

/**
 * The test suite's own JWT issuer: a key pair made fresh for each test JVM (no private key in the
 * repository), the public key handed to the application as {@code
 * mp.jwt.verify.publickey.location}, and tokens minted on demand, good and bad.
 */
public class TestJwt implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "cancelpay-test";

    /**
     * The audience the application verifies ({@code mp.jwt.verify.audiences}, as in dev); every
     * good token carries it.
     */
    public static final String AUDIENCE = "cancelpay";

    private static final KeyPair KEYS = newKeyPair();
    private static final KeyPair STRANGER = newKeyPair();

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "test-jwt"));
            Path publicKey = Files.createTempFile(dir, "publicKey-", ".pem");
            String pem =
                    "-----BEGIN PUBLIC KEY-----\n"
                            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                    .encodeToString(KEYS.getPublic().getEncoded())
                            + "\n-----END PUBLIC KEY-----\n";
            Files.writeString(publicKey, pem);
            return Map.of(
                    "mp.jwt.verify.publickey.location",
                    publicKey.toAbsolutePath().toString(),
                    "mp.jwt.verify.issuer",
                    ISSUER,
                    "mp.jwt.verify.audiences",
                    AUDIENCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {}

    public static String writer() {
        return token(Set.of(Roles.REFUNDS_WRITE));
    }

    /** A writer token of another caller: its subject scopes its Idempotency-Keys. */
    public static String writerFor(String subject) {
        return Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .upn(subject)
                .groups(Set.of(Roles.REFUNDS_WRITE))
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plus(Duration.ofMinutes(10)))
                .sign(KEYS.getPrivate());
    }

    public static String reader() {
        return token(Set.of(Roles.REFUNDS_READ));
    }

    public static String token(Set<String> groups) {
        return sign(
                ISSUER,
                Set.of(AUDIENCE),
                groups,
                Instant.now().plus(Duration.ofMinutes(10)),
                KEYS.getPrivate());
    }

    public static String expired(Set<String> groups) {
        return sign(
                ISSUER,
                Set.of(AUDIENCE),
                groups,
                Instant.now().minus(Duration.ofMinutes(10)),
                KEYS.getPrivate());
    }

    public static String wrongIssuer(Set<String> groups) {
        return sign(
                "someone-else",
                Set.of(AUDIENCE),
                groups,
                Instant.now().plus(Duration.ofMinutes(10)),
                KEYS.getPrivate());
    }

    /**
     * Signed by the right issuer, for another service of it: what a shared identity provider hands
     * out.
     */
    public static String wrongAudience(Set<String> groups) {
        return sign(
                ISSUER,
                Set.of("another-service"),
                groups,
                Instant.now().plus(Duration.ofMinutes(10)),
                KEYS.getPrivate());
    }

    public static String noAudience(Set<String> groups) {
        return sign(
                ISSUER,
                Set.of(),
                groups,
                Instant.now().plus(Duration.ofMinutes(10)),
                KEYS.getPrivate());
    }

    public static String badSignature(Set<String> groups) {
        return sign(
                ISSUER,
                Set.of(AUDIENCE),
                groups,
                Instant.now().plus(Duration.ofMinutes(10)),
                STRANGER.getPrivate());
    }

    /** An unsigned token ({@code alg: none}) with otherwise perfect claims. */
    public static String unsigned(Set<String> groups) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String header =
                url.encodeToString(
                        "{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        long now = Instant.now().getEpochSecond();
        String claims =
                "{\"iss\":\""
                        + ISSUER
                        + "\",\"aud\":\""
                        + AUDIENCE
                        + "\",\"sub\":\"intruder\",\"upn\":\"intruder\",\"iat\":"
                        + now
                        + ",\"exp\":"
                        + (now + 600)
                        + ",\"groups\":[\""
                        + String.join("\",\"", groups)
                        + "\"]}";
        return header + "." + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".";
    }

    /**
     * A token of exactly these claims (a JSON object), RS256-signed with the suite's key and
     * nothing added: no default {@code iat}, {@code exp} or {@code jti} as a JWT builder would put
     * in.
     */
    public static String signedClaims(String claimsJson) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String signingInput =
                url.encodeToString(
                                "{\"alg\":\"RS256\",\"typ\":\"JWT\"}"
                                        .getBytes(StandardCharsets.UTF_8))
                        + "."
                        + url.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(KEYS.getPrivate());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + url.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The suite's private key as the README's openssl command writes one (PKCS#8 PEM). */
    public static String privateKeyPem() {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(KEYS.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static String sign(
            String issuer,
            Set<String> audience,
            Set<String> groups,
            Instant expiresAt,
            PrivateKey key) {
        Instant issuedAt =
                expiresAt.isBefore(Instant.now())
                        ? expiresAt.minus(Duration.ofMinutes(5))
                        : Instant.now();
        JwtClaimsBuilder claims =
                Jwt.issuer(issuer)
                        .subject("merchant-backoffice")
                        .upn("merchant-backoffice")
                        .groups(groups)
                        .issuedAt(issuedAt)
                        .expiresAt(expiresAt);
        if (!audience.isEmpty()) {
            claims = claims.audience(audience);
        }
        return claims.sign(key);
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
