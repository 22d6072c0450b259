package dev.berth.runtime.cli;

import dev.berth.runtime.oci.Spec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The process {@code berth-runtime exec} runs: a base process (the container's own
 * config.json process, or a {@code --process} file) with the command line's args, env, cwd
 * and user put over it. Everything else (capabilities, rlimits, no_new_privs...) stays the base's.
 */
final class ExecOverrides {
    private ExecOverrides() {}

    /**
     * @param base the process to start from, or null for none (then root in "/" with no env)
     * @param args replaces the base's args when not empty
     * @param env KEY=VALUE entries; one whose key the base has replaces that entry, others are added
     * @param cwd replaces the base's cwd when not null
     * @param user "UID" or "UID:GID", numeric as in runc; replaces the base's uid (and gid) when not null
     */
    static Spec.Process build(Spec.Process base, List<String> args, List<String> env, String cwd, String user) {
        Spec.Process from = base != null ? base : new Spec.Process(null, null, null, null, null, null, null, null, null, null, null);
        if (Boolean.TRUE.equals(from.terminal())) {
            throw new IllegalArgumentException("the process asks for a terminal (\"terminal\": true); terminals are not supported yet");
        }
        List<String> newArgs = args == null || args.isEmpty() ? from.args() : List.copyOf(args);
        if (newArgs == null || newArgs.isEmpty()) {
            throw new IllegalArgumentException("nothing to run: give a command after the container id, or --process FILE with args");
        }
        return new Spec.Process(false, user == null ? from.user() : withUser(from.user(), user), newArgs, mergeEnv(from.env(), env),
                cwd == null ? from.cwd() : cwd, from.capabilities(), from.rlimits(), from.noNewPrivileges(), from.oomScoreAdj(),
                from.apparmorProfile(), from.selinuxLabel());
    }

    static List<String> mergeEnv(List<String> base, List<String> overrides) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String entry : base == null ? List.<String>of() : base) {
            entries.put(key(entry), entry);
        }
        for (String entry : overrides == null ? List.<String>of() : overrides) {
            if (entry.indexOf('=') <= 0) {
                throw new IllegalArgumentException("environment entry \"" + entry + "\" must be KEY=VALUE");
            }
            entries.put(key(entry), entry);
        }
        return new ArrayList<>(entries.values());
    }

    private static String key(String entry) {
        int eq = entry.indexOf('=');
        return eq < 0 ? entry : entry.substring(0, eq);
    }

    static Spec.User withUser(Spec.User base, String user) {
        String[] parts = user.split(":", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("user \"" + user + "\" must be UID or UID:GID (numbers)");
        }
        long uid = id(parts[0], user);
        Long gid = parts.length == 2 ? Long.valueOf(id(parts[1], user)) : base == null ? Long.valueOf(0) : base.gid();
        return new Spec.User(uid, gid, base == null ? null : base.umask(), base == null ? null : base.additionalGids());
    }

    private static long id(String text, String user) {
        try {
            long id = Long.parseLong(text);
            if (id >= 0 && id <= 0xFFFF_FFFEL) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("user \"" + user + "\" must be UID or UID:GID with numeric ids (names are not looked up)");
    }
}
