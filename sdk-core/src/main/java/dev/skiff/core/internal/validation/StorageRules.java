package dev.skiff.core.internal.validation;

import static dev.skiff.core.internal.validation.MetaRules.str;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** PersistentVolumeClaim specs, standalone or as templates. */
public final class StorageRules {
    private StorageRules() {}

    private static final List<String> ACCESS_MODES =
            List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod");
    private static final List<String> VOLUME_MODES = List.of("Block", "Filesystem");

    /** Go's {@code ValidatePersistentVolumeClaimSpec}. */
    public static void claimSpec(@Nullable PersistentVolumeClaimSpec s, Path path, Errors errs) {
        PersistentVolumeClaimSpec spec = s == null ? new PersistentVolumeClaimSpec() : s;
        List<String> modes = spec.getAccessModes() == null ? List.of() : spec.getAccessModes();
        if (modes.isEmpty()) {
            errs.required(path.child("accessModes"), "at least 1 access mode is required");
        }
        MetaRules.labelSelector(spec.getSelector(), path.child("selector"), errs);
        boolean rwop = false;
        boolean other = false;
        for (String mode : modes) {
            if (!ACCESS_MODES.contains(mode)) {
                errs.notSupported(path.child("accessModes"), mode, ACCESS_MODES);
            }
            if ("ReadWriteOncePod".equals(mode)) {
                rwop = true;
            } else if (ACCESS_MODES.contains(mode)) {
                other = true;
            }
        }
        if (rwop && other) {
            errs.forbidden(path.child("accessModes"), "may not use ReadWriteOncePod with other access modes");
        }
        Map<String, Quantity> requests =
                spec.getResources() == null || spec.getResources().getRequests() == null
                        ? Map.of()
                        : spec.getResources().getRequests();
        Path storagePath = path.child("resources").key("storage");
        Quantity storage = requests.get("storage");
        if (storage == null) {
            errs.required(storagePath, "");
        } else {
            String text = Quantities.text(storage);
            BigDecimal v = Quantities.parse(text);
            if (v == null) {
                errs.invalid(storagePath, text, Quantities.SYNTAX_MSG);
            } else if (v.signum() <= 0) {
                errs.invalid(storagePath, text, "must be greater than zero");
            }
        }
        String sc = spec.getStorageClassName();
        if (sc != null && !sc.isEmpty()) {
            errs.invalidEach(path.child("storageClassName"), sc, Names.dns1123Subdomain(sc));
        }
        if (spec.getVolumeMode() != null && !VOLUME_MODES.contains(spec.getVolumeMode())) {
            errs.notSupported(path.child("volumeMode"), spec.getVolumeMode(), VOLUME_MODES);
        }
        if (spec.getDataSource() != null) {
            Path dp = path.child("dataSource");
            if (str(spec.getDataSource().getName()).isEmpty()) {
                errs.required(dp.child("name"), "");
            }
            String kind = str(spec.getDataSource().getKind());
            if (kind.isEmpty()) {
                errs.required(dp.child("kind"), "");
            }
            if (str(spec.getDataSource().getApiGroup()).isEmpty() && !kind.equals("PersistentVolumeClaim")) {
                errs.invalid(dp, kind, "must be 'PersistentVolumeClaim' when referencing the default apiGroup");
            }
        }
    }
}
