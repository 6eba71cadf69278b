package io.spikewatch.detection;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyStateTest {
    private static WindowCounts window(long start) {
        WindowCounts w = new WindowCounts();
        w.windowStart = start;
        return w;
    }

    @Test
    void openWindowsAreFoundCountedAndRemovedInAnyOrder() {
        KeyState s = KeyState.fresh();
        assertThat(s.hasOpenWindows()).isFalse();
        for (long start : new long[] {60_000, 0, 120_000}) s.addOpenWindow(window(start));
        assertThat(s.openWindow(0).windowStart).isZero();
        assertThat(s.openWindow(180_000)).isNull();
        assertThat(s.openWindowsBefore(120_000)).isEqualTo(2);

        assertThat(s.removeOpenWindow(0).windowStart).isZero();
        assertThat(s.openWindows).extracting(w -> w.windowStart).containsExactly(60_000L, 120_000L);
        assertThat(s.removeOpenWindow(0)).isNull();
        s.removeOpenWindow(120_000);
        s.removeOpenWindow(60_000);
        // No empty array left behind: an idle key's state stays as small as it was.
        assertThat(s.openWindows).isNull();
        assertThat(s.hasOpenWindows()).isFalse();
    }

    @Test
    void lastClosedWindowEndFollowsTheRequestsBaseline() {
        KeyState s = KeyState.fresh();
        assertThat(s.lastClosedWindowEnd(60_000)).isZero();
        s.requests.fold(100, 5, 0.9);
        assertThat(s.lastClosedWindowEnd(60_000)).isEqualTo(101 * 60_000L);
    }
}
