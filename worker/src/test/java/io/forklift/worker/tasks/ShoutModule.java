package io.forklift.worker.tasks;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Locale;

/**
 * A Jackson module that writes a {@link Shout.Loud} as its text in capitals. No services list on the
 * test class path names it (every test's mapper would register it); {@code JacksonModuleIT} lists it
 * in a task jar.
 */
public final class ShoutModule extends SimpleModule {
    public ShoutModule() {
        super("shout");
        addSerializer(new StdSerializer<>(Shout.Loud.class) {
            @Override
            public void serialize(Shout.Loud loud, JsonGenerator out, SerializerProvider provider) throws IOException {
                out.writeString(loud.text.toUpperCase(Locale.ROOT));
            }
        });
    }
}
