package io.tern.it;

import io.tern.server.EmbeddedTern;
import io.tern.server.EmbeddedTernOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slave's metadata sync from an ACL-checking master goes over TCP through the master's check: the slave signs it
 * with the first admin account of its ACL file, and learns a topic an admin created on the master.
 */
class AclReplicationTest {
    @TempDir
    Path dir;

    @Test
    void theSlaveSignsItsMetadataSyncFromTheMaster() throws Exception {
        Path acl = Files.writeString(dir.resolve("acl.yaml"), AclTest.RULES);
        EmbeddedTernOptions options = new EmbeddedTernOptions(dir.resolve("store")).slaves(1)
                .broker("metadataSyncIntervalMs", 500)
                .nameServer("aclEnable", true).nameServer("aclFile", acl.toString())
                .broker("aclEnable", true).broker("aclFile", acl.toString());
        try (EmbeddedTern tern = EmbeddedTern.start(options)) {
            int master = tern.brokerIndex(0, 0);
            int slave = tern.brokerIndex(0, 1);
            DefaultMQAdminExt admin = new DefaultMQAdminExt(AclTest.signer(AclTest.ADMIN_KEY, AclTest.ADMIN_SECRET),
                    10_000);
            admin.setNamesrvAddr(tern.namesrvAddr());
            admin.setInstanceName(Clients.unique("admin"));
            String topic = Clients.unique("AclSynced");
            try {
                admin.start();
                admin.createAndUpdateTopicConfig(tern.brokerAddr(master), new TopicConfig(topic, 2, 2, 6));
            } finally {
                Clients.shutdown(admin);
            }
            Await.until("the slave to learn the topic from its ACL-checking master", 30_000,
                    () -> tern.broker(slave).components().topics().get(topic) != null);
        }
    }
}
