package kr.cancelpay.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox;

/**
 * The ChaiPort V1 sandbox on a random loopback port; the application's REST client points at it
 * with the credentials the sandbox accepts.
 */
public class ChaiPortSandboxResource implements QuarkusTestResourceLifecycleManager {

    public static final String IMP_KEY = "test_imp_key";

    /**
     * Distinctive, so that LogsCarryNoSecretsIT can look for it in every log line of the test run.
     */
    public static final String IMP_SECRET = "never-log-this-imp-secret-7Qx";

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectChaiPortSandbox {}

    private ChaiPortSandbox sandbox;

    @Override
    public Map<String, String> start() {
        sandbox = new ChaiPortSandbox(IMP_KEY, IMP_SECRET).start(0);
        return Map.of(
                "quarkus.rest-client.chaiport.url",
                sandbox.url(),
                "chaiport.imp-key",
                IMP_KEY,
                "chaiport.imp-secret",
                IMP_SECRET);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(
                sandbox,
                new TestInjector.AnnotatedAndMatchesType(
                        InjectChaiPortSandbox.class, ChaiPortSandbox.class));
    }

    @Override
    public void stop() {
        if (sandbox != null) {
            sandbox.stop();
        }
    }
}
