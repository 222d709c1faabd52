package dev.skiff.core.validation;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Opens sdk-core's validation table ({@code ValidatorCasesTest}, compiled into this module as it
 * is) to the conformance scenarios, so that both read the same cases.
 */
public final class ValidationTable {
    private ValidationTable() {}

    /** How the real server answers a case's create (the table's {@code ValidatorCasesTest.Server}). */
    public enum Answer {
        /** {@code 422} with exactly the case's causes, or {@code 201} for a valid case. */
        VALIDATION,
        /** {@code 400 BadRequest} while decoding the body, without causes. */
        DECODING,
        /** {@code 403 Forbidden} from an admission plugin, before validation. */
        ADMISSION,
        /** Client-side only: not sent (the reason is in {@link Case#why()}). */
        NOT_SENT
    }

    /**
     * One case of the table.
     *
     * @param group the table's section, such as {@code jobs}
     * @param name the case's name
     * @param object a fresh copy of the object to send
     * @param expected the violations the server reports, each {@code TYPE field}; empty when valid
     * @param answer how the server answers
     * @param why for an answer other than {@link Answer#VALIDATION}, what makes it so
     */
    public record Case(
            String group,
            String name,
            Supplier<HasMetadata> object,
            List<String> expected,
            Answer answer,
            String why) {}

    /** Returns every case of the table, in order. */
    public static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        add(cases, "metadata", ValidatorCasesTest::metadata);
        add(cases, "jobs", ValidatorCasesTest::jobs);
        add(cases, "cronJobs", ValidatorCasesTest::cronJobs);
        add(cases, "containers", ValidatorCasesTest::containers);
        add(cases, "resources", ValidatorCasesTest::resources);
        add(cases, "volumes", ValidatorCasesTest::volumes);
        add(cases, "scheduling", ValidatorCasesTest::scheduling);
        add(cases, "pods", ValidatorCasesTest::pods);
        add(cases, "apps", ValidatorCasesTest::apps);
        add(cases, "services", ValidatorCasesTest::services);
        add(cases, "storage", ValidatorCasesTest::storage);
        add(cases, "devices", ValidatorCasesTest::devices);
        add(cases, "valid", ValidatorCasesTest::valid);
        return cases;
    }

    private static void add(List<Case> cases, String group, Supplier<Stream<Arguments>> source) {
        List<Arguments> rows = source.get().toList();
        for (int i = 0; i < rows.size(); i++) {
            int index = i;
            Object[] row = rows.get(i).get();
            @SuppressWarnings("unchecked")
            List<String> expected = (List<String>) row[2];
            // each call builds the objects afresh, so that one target cannot see the other's edits
            Supplier<HasMetadata> fresh =
                    () -> (HasMetadata) source.get().toList().get(index).get()[1];
            Answer answer = switch ((ValidatorCasesTest.Server) row[3]) {
                case VALIDATES -> Answer.VALIDATION;
                case REJECTS_WHILE_DECODING -> Answer.DECODING;
                case REJECTS_AT_ADMISSION -> Answer.ADMISSION;
                case NOT_SENT -> Answer.NOT_SENT;
            };
            cases.add(new Case(group, (String) row[0], fresh, expected, answer, (String) row[4]));
        }
    }
}
