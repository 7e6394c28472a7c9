package io.forklift.manager;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.jsontype.TypeDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.type.MapType;
import java.io.IOException;

/**
 * Lets shared objects travel inside JSON (a task's argument, a value of another object): a proxy
 * is written as its {@link ObjectRef}, and a reference is read back as a live proxy of the type the
 * reader declares ({@code SharedQueue<String>}, {@code Connection}…), bound to this process's
 * {@link ObjectBinding}. The declared type alone picks the proxy: the reference's kind must match
 * it, and no class named in the JSON is ever loaded. Registered on Forklift's mapper through
 * {@code META-INF/services/com.fasterxml.jackson.databind.Module}.
 */
public final class SharedObjectModule extends SimpleModule {
    public SharedObjectModule() {
        super("forklift-shared-objects");
        addSerializer(SharedObject.class, new StdSerializer<>(SharedObject.class) {
            @Override
            public void serialize(SharedObject value, JsonGenerator gen, SerializerProvider provider)
                    throws IOException {
                provider.defaultSerializeValue(value.ref(), gen);
            }
        });
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addDeserializers(new Finder());
    }

    private static final class Finder extends Deserializers.Base {
        @Override
        public JsonDeserializer<?> findBeanDeserializer(
                JavaType type, DeserializationConfig config, BeanDescription beanDesc) {
            return forType(type);
        }

        @Override
        public JsonDeserializer<?> findCollectionDeserializer(
                CollectionType type,
                DeserializationConfig config,
                BeanDescription beanDesc,
                TypeDeserializer elementTypeDeserializer,
                JsonDeserializer<?> elementDeserializer) {
            return forType(type);
        }

        @Override
        public JsonDeserializer<?> findMapDeserializer(
                MapType type,
                DeserializationConfig config,
                BeanDescription beanDesc,
                KeyDeserializer keyDeserializer,
                TypeDeserializer elementTypeDeserializer,
                JsonDeserializer<?> elementDeserializer) {
            return forType(type);
        }

        private static JsonDeserializer<?> forType(JavaType type) {
            if (!SharedObject.class.isAssignableFrom(type.getRawClass())) return null;
            return new JsonDeserializer<Object>() {
                @Override
                public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                    ObjectRef ref = ctxt.readValue(p, ObjectRef.class);
                    return ObjectBinding.store().bind(ref, type);
                }
            };
        }
    }
}
