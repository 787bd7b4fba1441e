package io.connectorgateway.testsupport;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class the shared real broker. Parameters of type {@link KafkaBroker} and
 * {@link KafkaBroker.Namespace} (a fresh one per parameter) are resolved. When the chosen broker
 * cannot run here (container mode without Docker) the tests are skipped with the reason.
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class SomeIT {
 *     @Test void works(KafkaBroker broker, KafkaBroker.Namespace ns) { ... }
 * }
 * }</pre>
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        broker();
    }

    private static KafkaBroker broker() {
        try {
            return KafkaBroker.get();
        } catch (BrokerUnavailableException e) {
            Assumptions.abort("skipped: " + e.getMessage());
            throw e; // not reached
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        Class<?> type = p.getParameter().getType();
        return type == KafkaBroker.class || type == KafkaBroker.Namespace.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) throws ParameterResolutionException {
        Class<?> type = p.getParameter().getType();
        if (type == KafkaBroker.class) {
            return broker();
        }
        return broker().namespace(e.getTestMethod().map(m -> m.getName()).orElse(e.getDisplayName()));
    }
}
