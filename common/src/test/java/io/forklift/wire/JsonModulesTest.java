package io.forklift.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonModulesTest {
    /** A module no services list names. */
    public static final class Named extends SimpleModule {
        public Named() {
            super("named");
        }
    }

    @Test
    void namedModulesAreMadeWithoutSearchingTheClassPath() {
        List<Module> modules = Json.modules(" " + Named.class.getName() + " ,");
        assertEquals(1, modules.size());
        assertInstanceOf(Named.class, modules.get(0));
        assertEquals(List.of(), Json.modules(""), "an empty list names none");
    }

    @Test
    void unsetTheClassPathsServiceListsNameThem() {
        assertEquals(
                ObjectMapper.findModules().stream().map(Object::getClass).toList(),
                Json.modules(null).stream().map(Object::getClass).toList());
        assertEquals(
                Json.moduleClasses().size(), Json.modules(null).size(), "this JVM has no -D" + Json.MODULES_PROPERTY);
    }

    @Test
    void aModuleThatCannotBeMadeIsNamedWithTheProperty() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Json.modules("com.example.Gone"));
        assertTrue(
                e.getMessage().contains("com.example.Gone") && e.getMessage().contains(Json.MODULES_PROPERTY),
                e.getMessage());
    }
}
