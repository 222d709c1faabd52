package dev.skiff.core.internal.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "a-b", "0abc", "abc.def", "a.b.c-d"})
    void acceptsSubdomains(String s) {
        assertThat(Names.dns1123Subdomain(s)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a", "a-", "A", "a..b", ".a", "a_b"})
    void rejectsBadSubdomains(String s) {
        assertThat(Names.dns1123Subdomain(s)).containsExactly(Names.DNS1123_SUBDOMAIN_MSG);
    }

    @ParameterizedTest
    @ValueSource(strings = {"app", "example.com/app", "app.kubernetes.io/name", "A_b.c-1"})
    void acceptsQualifiedNames(String s) {
        assertThat(Names.qualifiedName(s)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/a", "a/", "a/b/c", "-a", "Example.com/a"})
    void rejectsBadQualifiedNames(String s) {
        assertThat(Names.qualifiedName(s)).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dots.are.not.labels"})
    void labelWithDotsSaysSo(String s) {
        assertThat(Names.dns1123Label(s)).containsExactly("must not contain dots");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "metrics-1", "a1"})
    void acceptsPortNames(String s) {
        assertThat(Names.portName(s)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1234", "a--b", "-a", "HTTP", "abcdefghijklmnop"})
    void rejectsPortNames(String s) {
        assertThat(Names.portName(s)).isNotEmpty();
    }
}
