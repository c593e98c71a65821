package io.chainwatch.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The registered scenarios: add a new one to {@link #ALL}. */
public final class Scenarios {
    private Scenarios() {}

    public static final List<Scenario> ALL = List.of(
            new RbacBackdoorScenario(),
            new NodeBreakoutScenario(),
            new TokenTheftScenario(),
            new AnonymousDiscoveryScenario(),
            new RoleBindingTokenScenario(),
            new BoundServiceAccountScenario(),
            new BoundUserScenario(),
            new RbacWorkloadScenario(),
            new TokenMintedUsedScenario(),
            new PermissionProbingScenario(),
            new ImpersonationScenario(),
            new SecretDumpScenario(),
            new ExecDiscoverySecretsScenario(),
            new DebugNodeAttachScenario(),
            new EphemeralAttachScenario(),
            new ControllerSaPodScenario(),
            new CsrSelfApproveScenario(),
            new BootstrapNodeCredScenario(),
            new NodesProxyExecScenario(),
            new NodeTokenMisuseScenario(),
            new WebhookMutationScenario(),
            new CronJobPersistenceScenario(),
            new KubeSystemBackdoorScenario(),
            new EventsCleanupScenario(),
            new CorednsPoisoningScenario(),
            new MassDeploymentScenario(),
            new DashboardDeployScenario(),
            new SidecarInjectionScenario());

    /** {@code all}, {@code none} or a comma-separated list of names. */
    public static List<Scenario> select(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("all")) {
            return ALL;
        }
        if (s.equals("none") || s.isEmpty()) {
            return List.of();
        }
        List<Scenario> out = new ArrayList<>();
        for (String name : s.split(",")) {
            String n = name.trim();
            Scenario found = null;
            for (Scenario sc : ALL) {
                if (sc.name().equals(n)) {
                    found = sc;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("unknown scenario '" + n + "' (known: " + names() + ", or all, none)");
            }
            if (!out.contains(found)) {
                out.add(found);
            }
        }
        return out;
    }

    public static String names() {
        List<String> names = new ArrayList<>();
        for (Scenario sc : ALL) {
            names.add(sc.name());
        }
        return String.join(", ", names);
    }
}
