package io.nexus.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcceptEncodingTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "gzip                    | true",
            "gzip, deflate, br, zstd | true",
            "GZIP;q=0.5              | true",
            "x-gzip                  | true",
            "*                       | true",
            "br, *;q=0.1             | true",
            "gzip;q=0                | false",
            "gzip;q=0.000            | false",
            "*;q=0                   | false",
            "*, gzip;q=0             | false",
            "identity                | false",
            "deflate, br             | false",
            "''                      | false",
            "gzip;q=abc              | false" })
    void gzipIsAllowedOnlyWhenTheHeaderSaysSo(String header, boolean allowed) {
        assertEquals(allowed, AcceptEncoding.allowsGzip(header), header);
    }
}
