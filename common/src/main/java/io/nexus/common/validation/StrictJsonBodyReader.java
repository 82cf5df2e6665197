package io.nexus.common.validation;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

import jakarta.inject.Inject;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads every JSON request body whose Java type is a record through {@link StrictRequestBinder}. Request bodies are
 * records by convention, so every resource gets strict, all-at-once validation without opting in. A
 * {@link MergePatch} parameter reads a merge patch of its record type.
 */
@Provider
@Consumes({ MediaType.APPLICATION_JSON, "application/merge-patch+json" })
public class StrictJsonBodyReader implements MessageBodyReader<Record> {

    private final StrictRequestBinder binder;

    @Inject
    public StrictJsonBodyReader(ObjectMapper mapper, Validator validator) {
        this.binder = new StrictRequestBinder(mapper, validator);
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return Record.class.isAssignableFrom(type);
    }

    @Override
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public Record readFrom(Class<Record> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> httpHeaders, InputStream entityStream) throws IOException {
        byte[] body = entityStream.readAllBytes();
        if (MergePatch.class.equals(type)) {
            if (!(genericType instanceof ParameterizedType patch)
                    || !(patch.getActualTypeArguments()[0] instanceof Class<?> fields)) {
                throw new IllegalStateException("a MergePatch parameter must name its record type");
            }
            return binder.bindPatch(body, fields);
        }
        return (Record) binder.bind(body, (Class) type, genericType);
    }
}
