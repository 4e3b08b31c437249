package io.pgha.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.config.DynamicConfigValidator;
import io.pgha.config.GucCatalog;
import io.pgha.contract.Cluster;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * `edit-config`: builds the new dynamic configuration from --replace, --apply, -s and -p (in that order,
 * as patronictl), or from an editor session when none is given; shows a unified diff of the YAML; writes
 * the config key with a compare-and-set on the mod revision it was read at, so a concurrent change makes
 * it fail rather than be lost. The result must pass {@link DynamicConfigValidator} (names are checked for
 * their form only: ctl talks to etcd, not to a server); an invalid one is refused whole with exit code 2.
 */
public final class EditConfig {
    /** What the user asked for. Files are paths or "-" for stdin, read through {@code readFile}. */
    public record Request(String scope, List<String> set, List<String> pg, String applyFile, String replaceFile,
                          boolean quiet, boolean force) {}

    /** Runs an editor on a YAML text and returns the edited text. */
    public interface Editor {
        String edit(String yaml, String scope);
    }

    private final CtlSession s;
    private final Function<String, String> readFile;
    private final Editor editor;

    public EditConfig(CtlSession s, Function<String, String> readFile, Editor editor) {
        this.s = s;
        this.readFile = readFile;
        this.editor = editor;
    }

    public void run(Request req) {
        Cluster c = s.store().read(req.scope());
        if (c.config() == null) {
            throw new CtlException("cluster " + req.scope() + " has no configuration in the DCS");
        }
        String before = PyYaml.dump(c.config(), false);
        String after = null;
        JsonNode changed = c.config();
        if (req.replaceFile() != null) {
            changed = ConfigPatch.merge(null, PyYaml.load(readFile.apply(req.replaceFile())));
            after = PyYaml.dump(changed, false);
        }
        if (req.applyFile() != null) {
            changed = ConfigPatch.merge(changed, PyYaml.load(readFile.apply(req.applyFile())));
            after = PyYaml.dump(changed, false);
        }
        if (!req.set().isEmpty() || !req.pg().isEmpty()) {
            List<String> pairs = new ArrayList<>(req.set());
            req.pg().forEach(p -> pairs.add("postgresql.parameters." + p.stripLeading()));
            changed = ConfigPatch.set(changed, pairs);
            after = PyYaml.dump(changed, false);
        }
        if (after == null) {
            after = editor.edit(before, req.scope());
            changed = PyYaml.load(after);
            if (!changed.isObject()) {
                throw new CtlException("the edited configuration is not a YAML mapping");
            }
        }
        if (sameValue(c.config(), changed)) {
            if (!req.quiet()) {
                s.console().println("Not changed");
            }
            return;
        }
        DynamicConfigValidator.Verdict verdict = DynamicConfigValidator.validate(changed, GucCatalog.NONE);
        if (!verdict.ok()) { // before the diff and the prompt: nothing to confirm, nothing written
            throw CtlException.badInput(verdict.message());
        }
        if (!req.quiet()) {
            UnifiedDiff.lines(before, after).forEach(s.console()::println);
        }
        if (("-".equals(req.applyFile()) || "-".equals(req.replaceFile())) && !req.force()) {
            s.console().println("Use --force option to apply changes"); // stdin is taken: no way to ask
            return;
        }
        if (req.force() || s.console().confirm("Apply these changes?")) {
            if (!s.store().setConfig(req.scope(), PyJson.dumps(changed), c.configModRevision())) {
                throw new CtlException("Config modification aborted due to concurrent changes");
            }
            s.console().println("Configuration changed");
        }
    }

    /** Equality as Python sees it: 10 and 10.0 are the same number whatever JSON node type holds them. */
    static boolean sameValue(JsonNode a, JsonNode b) {
        return a.equals((x, y) -> {
            if (x.isNumber() && y.isNumber()) {
                return x.decimalValue().compareTo(y.decimalValue());
            }
            return x.equals(y) ? 0 : 1;
        }, b);
    }

    /** show-config: the configuration as YAML. */
    public static String show(Cluster c, String scope) {
        if (c.config() == null) {
            throw new CtlException("cluster " + scope + " has no configuration in the DCS");
        }
        return PyYaml.dump(c.config(), false) + "\n";
    }

}
