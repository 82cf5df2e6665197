package io.nexus.tenant.domain;

import java.util.Locale;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores statuses in their wire form, which the table's CHECK constraint names. */
@Converter
public class TenantStatusConverter implements AttributeConverter<TenantStatus, String> {

    @Override
    public String convertToDatabaseColumn(TenantStatus status) {
        return status == null ? null : status.wire();
    }

    @Override
    public TenantStatus convertToEntityAttribute(String value) {
        return value == null ? null : TenantStatus.valueOf(value.toUpperCase(Locale.ROOT));
    }
}
