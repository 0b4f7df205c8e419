package io.tern.broker.send;

import io.tern.broker.BrokerAddress;
import io.tern.broker.BrokerConfig;
import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageIds;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.PutResult;

/**
 * Builds send responses. Every one, errors included, carries MSG_REGION and TRACE_ON: the client reads them
 * without a null check (spec 3.3.1).
 */
final class SendResponses {
    private SendResponses() {
    }

    static RemotingCommand error(BrokerConfig config, BrokerAddress address, RemotingCommand req, int code,
                                 String remark) {
        return decorate(config, RemotingCommand.responseTo(req, code, remark));
    }

    static final String SERVICE_NOT_AVAILABLE_REMARK = "service not available now: ";

    static RemotingCommand decorate(BrokerConfig config, RemotingCommand resp) {
        return resp.put(MessageConst.MSG_REGION, config.regionId)
                .put(MessageConst.TRACE_SWITCH, String.valueOf(config.traceOn));
    }

    /** Maps a put result (spec 3.3.1 step 10); stored outcomes carry msgId(s), queueId and queueOffset. */
    static RemotingCommand of(BrokerConfig config, BrokerAddress address, RemotingCommand req, PutResult result,
                              int queueId, String batchUniqId) {
        int code = switch (result.status()) {
            case PUT_OK -> ResponseCode.SUCCESS;
            case FLUSH_DISK_TIMEOUT -> ResponseCode.FLUSH_DISK_TIMEOUT;
            case FLUSH_SLAVE_TIMEOUT -> ResponseCode.FLUSH_SLAVE_TIMEOUT;
            case SLAVE_NOT_AVAILABLE -> ResponseCode.SLAVE_NOT_AVAILABLE;
            case MESSAGE_ILLEGAL, PROPERTIES_SIZE_EXCEEDED -> ResponseCode.MESSAGE_ILLEGAL;
            case SERVICE_NOT_AVAILABLE -> ResponseCode.SERVICE_NOT_AVAILABLE;
            case UNKNOWN_ERROR -> ResponseCode.SYSTEM_ERROR;
        };
        String reason = result.remark() == null ? result.status().name() : result.remark();
        if (code == ResponseCode.SERVICE_NOT_AVAILABLE) {
            // RocketMQ's answer to any put the store cannot take starts so; the reason says which (disk full, ...)
            reason = SERVICE_NOT_AVAILABLE_REMARK + reason;
        }
        RemotingCommand resp = RemotingCommand.responseTo(req, code, result.isStored() ? null : reason);
        if (result.isStored()) {
            StringBuilder ids = new StringBuilder(33 * result.physicalOffsets().length);
            for (long phy : result.physicalOffsets()) {
                if (ids.length() > 0) {
                    ids.append(',');
                }
                ids.append(MessageIds.offsetMsgId(address.hostBytes(), address.port(), phy));
            }
            resp.put("msgId", ids.toString()).put("queueId", queueId).put("queueOffset", result.queueOffset());
            if (batchUniqId != null) {
                resp.put("batchUniqId", batchUniqId);
            }
        }
        return decorate(config, resp);
    }
}
