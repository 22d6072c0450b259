package dev.berth.image;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** OCI chain IDs: ChainID(L0) = DiffID(L0); ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln)). */
final class ChainIds {
    private ChainIds() {}

    static List<Digest> of(List<Digest> diffIds) {
        List<Digest> out = new ArrayList<>();
        Digest prev = null;
        for (Digest d : diffIds) {
            prev = prev == null ? d : Digest.sha256((prev + " " + d).getBytes(StandardCharsets.UTF_8));
            out.add(prev);
        }
        return out;
    }
}
