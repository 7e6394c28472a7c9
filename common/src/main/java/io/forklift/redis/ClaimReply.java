package io.forklift.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** claim.lua's pool caps argument and its reply, for {@link TaskScripts#claim}: the only code that knows their shape. */
final class ClaimReply {
    private ClaimReply() {}

    /** claim.lua's ARGV[12]: '' (the stored caps count), or ';' then 'pool=cap;' for each. */
    static String poolCaps(Map<String, Integer> caps) {
        if (caps == null) return "";
        StringBuilder s = new StringBuilder(";");
        caps.forEach((pool, cap) -> s.append(pool).append('=').append(cap).append(';'));
        return s.toString();
    }

    static TaskScripts.Claimed read(Object reply) {
        List<?> flat = (List<?>) reply;
        int owedEnd = 2 + 2 * ((Long) flat.get(1)).intValue();
        if (owedEnd >= flat.size()) { // fenced out: nothing granted or claimed
            return new TaskScripts.Claimed(
                    (Long) flat.get(0), OwedReplies.read(flat.subList(2, owedEnd)), List.of(), List.of());
        }
        int grantedEnd = owedEnd + 1 + ((Long) flat.get(owedEnd)).intValue();
        List<String> granted = new ArrayList<>();
        for (int i = owedEnd + 1; i < grantedEnd; i++) granted.add((String) flat.get(i));
        List<TaskScripts.ClaimedTask> tasks = new ArrayList<>((flat.size() - grantedEnd) / 5);
        for (int i = grantedEnd; i < flat.size(); i += 5) {
            tasks.add(new TaskScripts.ClaimedTask(
                    (String) flat.get(i),
                    ((Long) flat.get(i + 1)).intValue(),
                    ((Long) flat.get(i + 2)) == 1,
                    (String) flat.get(i + 3),
                    (String) flat.get(i + 4)));
        }
        return new TaskScripts.Claimed((Long) flat.get(0), OwedReplies.read(flat.subList(2, owedEnd)), granted, tasks);
    }
}
