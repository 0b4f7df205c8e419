package io.tern.client.impl;

import io.tern.common.protocol.MessageQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * The official client's default strategy (AllocateMessageQueueAveragely): every member sorts the queues and the
 * member ids the same way and takes a contiguous share; the first {@code queues % members} members take one more.
 * All members compute the same split without talking to each other. Stateless.
 */
final class QueueAllocator {

    static List<MessageQueue> allocate(List<MessageQueue> sortedQueues, List<String> sortedIds, String me) {
        int index = sortedIds.indexOf(me);
        List<MessageQueue> mine = new ArrayList<>();
        if (index < 0 || sortedQueues.isEmpty()) {
            return mine;
        }
        int queues = sortedQueues.size();
        int members = sortedIds.size();
        int mod = queues % members;
        int share = queues <= members ? 1 : (mod > 0 && index < mod ? queues / members + 1 : queues / members);
        int start = (mod > 0 && index < mod) ? index * share : index * share + mod;
        int range = Math.min(share, queues - start);
        for (int i = 0; i < range; i++) {
            mine.add(sortedQueues.get((start + i) % queues));
        }
        return mine;
    }

    private QueueAllocator() {
    }
}
