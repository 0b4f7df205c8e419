package io.tern.broker.pull;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.common.message.TagCodes;
import io.tern.common.protocol.SubscriptionData;
import io.tern.store.MessageFilter;
import org.junit.jupiter.api.Test;

/**
 * With SQL92 served by default, a tag-only group's pull still filters on the consume-queue tag hash alone: its
 * filter never reads a stored record (a null record would throw if it did), and "*" takes the shared pass-all
 * filter. The SQL92 branch is reached only by subscriptions of type SQL92.
 */
class TagFilterCostTest {
    @Test
    void tagFiltersNeverReadTheRecord() {
        MessageFilter tags = PullMessageProcessor.filterOf(SubscriptionData.ofTags("T", "TagA || TagB"));
        assertTrue(tags.matchesTagsCode(TagCodes.of("TagA")));
        assertFalse(tags.matchesTagsCode(TagCodes.of("TagC")));
        assertTrue(tags.matchesRecord(null), "the tag path does not look at the record");
        assertSame(MessageFilter.ALL, PullMessageProcessor.filterOf(SubscriptionData.ofTags("T", "*")));
    }
}
