package dev.skiff.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Skiff;
import dev.skiff.core.validation.Validator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the rendering benchmark fair: both sides must produce the same Job. */
class TypicalTrainingJobTest {

    @Test
    void skiffAndFabric8RenderByteIdenticalYaml() {
        String skiff = Skiff.toYaml(TypicalTrainingJob.withSkiff());
        String fabric8 = Serialization.asYaml(TypicalTrainingJob.withFabric8());

        assertThat(fabric8).isEqualTo(skiff);
    }

    @Test
    void skiffRendersOneJobEqualToTheFabric8OneAfterUnmarshalling() {
        List<HasMetadata> objects = Skiff.render(TypicalTrainingJob.withSkiff());

        assertThat(objects).hasSize(1);
        Job skiff = Serialization.unmarshal(Serialization.asYaml(objects.get(0)), Job.class);
        Job fabric8 = Serialization.unmarshal(Serialization.asYaml(TypicalTrainingJob.withFabric8()), Job.class);
        assertThat(skiff).isEqualTo(fabric8);
    }

    @Test
    void bothSidesKeepTheGpuTrainingShapeAndTheFabric8JobPassesValidation() {
        BatchJob job = TypicalTrainingJob.withSkiff();
        Job k8s = TypicalTrainingJob.withFabric8();

        assertThat(job.name()).isEqualTo("resnet-train");
        assertThat(k8s.getSpec().getCompletionMode()).isEqualTo("Indexed");
        assertThat(k8s.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getLimits())
                .containsKey("nvidia.com/gpu");
        assertThat(k8s.getSpec().getTemplate().getSpec().getAffinity()).isNotNull();
        assertThat(Validator.validate(k8s)).isEmpty();
    }
}
