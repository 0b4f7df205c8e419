package io.tern.common.protocol;

/** A producer group entry of a heartbeat. */
public final class ProducerData {
    public String groupName;

    public ProducerData() {
    }

    public ProducerData(String groupName) {
        this.groupName = groupName;
    }
}
