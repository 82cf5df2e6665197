package io.nexus.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigStoreTest {

    @TempDir
    Path home;

    @Test
    void writesTheConfigurationOwnerOnly() throws Exception {
        ConfigStore store = new ConfigStore(home.resolve("nexus"), new ObjectMapper());
        store.write(new CliConfig("http://127.0.0.1:8000", "nxk_secret_key_0123456789"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("nexus"))));
        assertEquals(new CliConfig("http://127.0.0.1:8000", "nxk_secret_key_0123456789"), store.read());
    }

    @Test
    void narrowsAnExistingFileWithWiderPermissions() throws Exception {
        Path directory = Files.createDirectories(home.resolve("nexus"));
        Path file = Files.writeString(directory.resolve(ConfigStore.FILE_NAME), "{}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        new ConfigStore(directory, new ObjectMapper()).write(new CliConfig("http://x", "nxk_key_0123456789abc"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void environmentVariablesOverrideTheFile() {
        ConfigStore store = new ConfigStore(home.resolve("nexus"), new ObjectMapper());
        store.write(new CliConfig("http://stored", "nxk_stored_0123456789"));
        assertEquals(new CliConfig("http://env", "nxk_env_0123456789abc"),
                store.effective(Map.of("NEXUS_URL", "http://env", "NEXUS_API_KEY", "nxk_env_0123456789abc")));
        assertEquals(new CliConfig("http://stored", "nxk_stored_0123456789"),
                store.effective(Map.of("NEXUS_URL", "")));
    }

    @Test
    void noFileMeansNothingConfigured() {
        assertEquals(new CliConfig(null, null), new ConfigStore(home, new ObjectMapper()).read());
    }
}
