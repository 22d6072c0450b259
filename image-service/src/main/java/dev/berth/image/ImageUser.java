package dev.berth.image;

import java.util.Optional;

/** The image config's USER split as CRI wants it: a numeric uid, or a user name. */
record ImageUser(String raw, Optional<Long> uid, Optional<String> username) {
    static ImageUser parse(String user) {
        if (user == null || user.isEmpty()) {
            return new ImageUser("", Optional.empty(), Optional.empty());
        }
        String first = user.split(":", 2)[0];
        if (first.matches("[0-9]{1,10}")) {
            return new ImageUser(user, Optional.of(Long.parseLong(first)), Optional.empty());
        }
        return new ImageUser(user, Optional.empty(), Optional.of(first));
    }
}
