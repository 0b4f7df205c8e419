package io.tern.cli.command;

import io.tern.cli.AdminCommand;
import io.tern.cli.AdminException;
import io.tern.cli.AdminSession;
import io.tern.cli.Options;
import java.util.Set;

public final class ConsumerProgressCommand implements AdminCommand {
    @Override
    public String name() {
        return "consumerProgress";
    }

    @Override
    public String description() {
        return "not implemented yet";
    }

    @Override
    public String synopsis() {
        return "";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of();
    }

    @Override
    public int execute(AdminSession session, Options options) {
        throw new AdminException("not implemented yet");
    }
}
