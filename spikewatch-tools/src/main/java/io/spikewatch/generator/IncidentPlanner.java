package io.spikewatch.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Places a scenario's incidents in time.
 *
 * <p>Nothing happens during the warm-up — the first 2 hours, or the first third of runs shorter than
 * 6 hours — so that a detector's baselines have data before the first incident. The rest of the run,
 * minus 5 minutes at the end (the evaluator's grace period must fit), is cut into one slot per
 * incident in a seeded random order; each incident starts on a whole minute in the first 60% of its
 * slot. Incidents in 24-hour runs never overlap; in short runs an incident may be cut to end 5 minutes
 * before the run does, and its label says so (the label's end is the actual end).
 */
final class IncidentPlanner {
    private IncidentPlanner() {}

    static List<PlantedIncident> plan(Scenario scenario, long runStartMillis, int runMinutes,
            PlantedIncident.Context ctx, SplittableRandom rnd) {
        List<Scenario> kinds = new ArrayList<>(switch (scenario) {
            case QUIET_DAY -> List.<Scenario>of();
            case MIXED -> List.of(Scenario.IP_FLOOD, Scenario.COUNTRY_SURGE, Scenario.SCANNER, Scenario.FLASH_CROWD);
            default -> List.of(scenario);
        });
        for (int i = kinds.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            kinds.set(i, kinds.set(j, kinds.get(i)));
        }
        int warmUp = warmUpMinutes(runMinutes);
        int lastEnd = runMinutes - 5;
        List<PlantedIncident> out = new ArrayList<>();
        if (kinds.isEmpty()) return out;
        int slot = (lastEnd - warmUp) / kinds.size();
        if (slot < 10) {
            throw new IllegalArgumentException("a run of " + runMinutes + " minutes is too short for scenario "
                    + scenario + ": each incident needs a slot of at least 10 minutes after the warm-up");
        }
        for (int k = 0; k < kinds.size(); k++) {
            int startMinute = warmUp + k * slot + rnd.nextInt(Math.max(1, (int) (slot * 0.6)));
            long start = runStartMillis + startMinute * 60_000L;
            int maxMinutes = lastEnd - startMinute;
            SplittableRandom own = rnd.split();
            out.add(switch (kinds.get(k)) {
                case IP_FLOOD -> new IpFloodIncident(ctx, own, start, maxMinutes);
                case COUNTRY_SURGE -> new CountrySurgeIncident(ctx, own, start, maxMinutes);
                case SCANNER -> new ScannerIncident(ctx, own, start, maxMinutes);
                case FLASH_CROWD -> new FlashCrowdIncident(ctx, own, start, maxMinutes);
                default -> throw new IllegalStateException("not an incident kind: " + kinds.get(k));
            });
        }
        out.sort((a, b) -> Long.compare(a.startMillis, b.startMillis));
        return out;
    }

    static int warmUpMinutes(int runMinutes) {
        return runMinutes >= 360 ? 120 : runMinutes / 3;
    }
}
