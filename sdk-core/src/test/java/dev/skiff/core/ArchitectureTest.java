package dev.skiff.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.GeneralCodingRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Layering and house rules of skiff-core, checked on its compiled classes. */
class ArchitectureTest {
    private static JavaClasses core;

    @BeforeAll
    static void importClasses() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.skiff.core");
    }

    @Test
    void coreNeverDependsOnGpuOrTesting() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.skiff.gpu..", "dev.skiff.testing..")
                .check(core);
    }

    @Test
    void publicApiNeverExposesInternalTypes() {
        methods()
                .that()
                .areDeclaredInClassesThat()
                .resideOutsideOfPackage("..internal..")
                .and()
                .arePublic()
                .and()
                .areDeclaredInClassesThat()
                .arePublic()
                .should(new ArchCondition<JavaMethod>("not use internal types in their signature") {
                    @Override
                    public void check(JavaMethod method, ConditionEvents events) {
                        boolean leaks =
                                method.getRawReturnType().getPackageName().contains(".internal")
                                        || method.getRawParameterTypes().stream()
                                                .anyMatch(
                                                        t -> t.getPackageName().contains(".internal"));
                        if (leaks) {
                            events.add(SimpleConditionEvent.violated(
                                    method, method.getFullName() + " exposes an internal type"));
                        }
                    }
                })
                .allowEmptyShould(true)
                .check(core);
    }

    @Test
    void libraryCodeNeverWritesToStandardStreamsOrUsesJavaUtilLogging() {
        GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.check(core);
        GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING.check(core);
    }

    @Test
    void generatedImmutableClassesStayPackagePrivate() {
        noClasses()
                .that()
                .haveSimpleNameStartingWith("Immutable")
                .and()
                .areTopLevelClasses()
                .should()
                .haveModifier(JavaModifier.PUBLIC)
                .check(core);
    }
}
