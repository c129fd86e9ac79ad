package dev.reclaim.server;

import dev.reclaim.InvalidArgumentException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Host headers and configured host names are read strictly and compared in one form. */
class HostNamesTest {
    @Test
    void namesAreComparedWithoutCaseAndIpv6InOneSpelling() {
        assertThat(HostNames.normalize("LocalHost")).isEqualTo("localhost");
        assertThat(HostNames.normalize("[::1]")).isEqualTo(HostNames.normalize("0:0:0:0:0:0:0:1"));
        assertThat(HostNames.normalize("127.0.0.1")).isEqualTo("127.0.0.1");
    }

    @Test
    void aHostHeaderGivesItsHostAndPort() {
        assertThat(HostNames.authority("localhost:8080")).isEqualTo(new HostNames.Authority("localhost", 8080));
        assertThat(HostNames.authority("[::1]:9")).isEqualTo(new HostNames.Authority(HostNames.normalize("::1"), 9));
        assertThat(HostNames.authority("build-box.lan")).isEqualTo(new HostNames.Authority("build-box.lan", -1));
    }

    @Test
    void malformedHostHeadersAreNotHosts() {
        for (String bad : new String[] {"", ":80", "localhost:", "localhost:http", "localhost:99999", "::1", "[::1",
                "[::1]x", "a b", "evil.example/x", "user@host", "127.1", "999.1.1.1", "localhost.:8080".replace(".:", "..:"),
                "[.:]", "[1.2.3.4]", "häst.example", "*.example.org", "-bad-.example"}) {
            assertThat(HostNames.authority(bad)).as(bad).isNull();
        }
    }

    @Test
    void aConfiguredHostIsANameOrAddressWithoutPortOrWildcard() {
        assertThat(HostNames.checkAllowed(" Build-Box.LAN ")).isEqualTo("build-box.lan");
        assertThat(HostNames.checkAllowed("::1")).isEqualTo("::1");
        for (String bad : new String[] {"", "build-box:8080", "*.example.org", "http://build-box", "evil host"}) {
            assertThatThrownBy(() -> HostNames.checkAllowed(bad)).as(bad).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("is not a host name or IP address");
        }
    }
}
