package io.nexus.tenant.domain;

import java.util.Locale;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

@Converter
public class KeyRoleConverter implements AttributeConverter<KeyRole, String> {

    @Override
    public String convertToDatabaseColumn(KeyRole role) {
        return role == null ? null : role.wire();
    }

    @Override
    public KeyRole convertToEntityAttribute(String value) {
        return value == null ? null : KeyRole.valueOf(value.toUpperCase(Locale.ROOT));
    }
}
