package dev.skiff.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.core.validation.ValidationTable;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of sdk-core's validation table, sent to both targets as a dry-run create: a case the
 * table calls invalid must be rejected with 422 and exactly the table's causes (reason and field
 * path), a valid one accepted. A case the table says the server rejects while decoding must get
 * 400, one rejected by admission 403, both without causes; client-side only cases are not sent
 * (they count neither way).
 */
class ValidationScenarios {
    static Stream<Arguments> cases() {
        List<ValidationTable.Case> cases = ValidationTable.cases().stream()
                .filter(c -> c.answer() != ValidationTable.Answer.NOT_SENT)
                .toList();
        return Target.kinds().flatMap(k -> cases.stream().map(c -> Arguments.of(k, c.group() + "/" + c.name(), c)));
    }

    @ParameterizedTest(name = "[{0}] validation/{1}")
    @MethodSource("cases")
    void answersAsTheTableSays(Target.Kind kind, String name, ValidationTable.Case c) {
        try (Target target = kind.open()) {
            HasMetadata object = c.object().get();
            if (!(object instanceof Namespace)) {
                String ns = object.getMetadata().getNamespace();
                if (ns == null || ns.equals("ml")) {
                    object.getMetadata().setNamespace(target.namespace());
                }
            }
            List<String> expected =
                    c.expected().stream().map(ValidationScenarios::asCause).toList();
            List<String> actual = new ArrayList<>();
            int code = 201;
            String message = "";
            try {
                target.client().resource(object).dryRun().create();
            } catch (KubernetesClientException e) {
                code = e.getCode();
                message = e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
                if (e.getStatus() != null && e.getStatus().getDetails() != null) {
                    for (StatusCause cause : e.getStatus().getDetails().getCauses()) {
                        actual.add(cause.getReason() + " " + cause.getField());
                    }
                }
            }
            String answer = code + " " + message + " causes " + actual;
            switch (c.answer()) {
                case DECODING -> {
                    assertThat(code).as(answer).isEqualTo(400);
                    assertThat(message).as(answer).contains(" cannot be handled as a ");
                    assertThat(actual).as(answer).isEmpty();
                }
                case ADMISSION -> {
                    assertThat(code).as(answer).isEqualTo(403);
                    assertThat(actual).as(answer).isEmpty();
                }
                default -> {
                    if (expected.isEmpty()) {
                        assertThat(code).as(answer).isEqualTo(201);
                    } else {
                        assertThat(code).as(answer).isEqualTo(422);
                        assertThat(actual).as(answer).containsExactlyInAnyOrderElementsOf(expected);
                    }
                }
            }
        }
    }

    /** {@code INVALID spec.x} as the server's cause: {@code FieldValueInvalid spec.x}. */
    private static String asCause(String violation) {
        int space = violation.indexOf(' ');
        String type = violation.substring(0, space);
        StringBuilder reason = new StringBuilder("FieldValue");
        for (String part : type.split("_")) {
            reason.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return reason + violation.substring(space);
    }
}
