package io.spikewatch.records;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class CountryCodesTest {

    @Test
    void twoAsciiLettersOfEitherCaseAreOneSharedUpperCaseString() {
        String us = CountryCodes.of('U', 'S');
        assertThat(us).isEqualTo("US");
        assertThat(CountryCodes.of('u', 's')).isSameAs(us);
        assertThat(CountryCodes.of('U', 's')).isSameAs(us);
        assertThat(CountryCodes.of('A', 'A')).isEqualTo("AA");
        assertThat(CountryCodes.of('Z', 'Z')).isEqualTo("ZZ");
        assertThat(CountryCodes.of('Z', 'Y')).isNotEqualTo(CountryCodes.of('Y', 'Z'));
    }

    @Test
    void anythingButAnAsciiLetterIsNoCode() {
        int[] notLetters = {'@', '[', '`', '{', '1', '-', ' ', 0, 0xC4, 0xE4, -1, 'A' + 0x10000};
        for (int c : notLetters) {
            assertThat(CountryCodes.of(c, 'A')).as("first %d", c).isNull();
            assertThat(CountryCodes.of('A', c)).as("second %d", c).isNull();
        }
    }

    @Test
    void ofUpperCaseTakesOnlyCapitals() {
        assertThat(CountryCodes.ofUpperCase('D', 'E')).isSameAs(CountryCodes.of('d', 'e'));
        for (int[] pair : new int[][] {{'d', 'E'}, {'D', 'e'}, {'@', 'A'}, {'A', '['}, {'1', 'A'}, {0xC4, 'A'}}) {
            assertThat(CountryCodes.ofUpperCase(pair[0], pair[1])).as("%s", Arrays.toString(pair)).isNull();
        }
    }

    @Test
    void sharedSwapsAnUpperCaseCodeForTheSharedStringAndKeepsEverythingElse() {
        String copy = new String("DE".toCharArray());
        assertThat(CountryCodes.shared(copy)).isEqualTo("DE").isSameAs(CountryCodes.of('D', 'E')).isNotSameAs(copy);
        for (String other : new String[] {"de", "D1", "DEU", "", "Ä€"}) {
            assertThat(CountryCodes.shared(other)).isSameAs(other);
        }
        assertThat(CountryCodes.shared(null)).isNull();
    }
}
