package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Every forklift JVM logs INFO and up to stderr, set up in code; a logback.configurationFile takes over. */
class StderrLogConfiguratorTest {
    @Test
    void theJvmsLoggingIsSetUpByItToStderrAtInfo() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        ConsoleAppender<?> stderr = assertInstanceOf(ConsoleAppender.class, root.getAppender("STDERR"));
        assertEquals("System.err", stderr.getTarget());
        assertEquals(Level.toLevel(System.getenv("FORKLIFT_LOG_LEVEL"), Level.INFO), root.getLevel());
    }

    @Test
    void aConfigurationFileGivenOnTheCommandLineIsLeftToLogback() {
        LoggerContext context = new LoggerContext();
        System.setProperty("logback.configurationFile", "elsewhere.xml");
        try {
            StderrLogConfigurator configurator = new StderrLogConfigurator();
            configurator.setContext(context);
            assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, configurator.configure(context));
            assertNull(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR"));
        } finally {
            System.clearProperty("logback.configurationFile");
        }
    }
}
