package org.daolinet.openflow;

import java.util.ArrayList;
import java.util.List;

import io.netty.channel.EventLoop;

/**
 * Sends, once per turn of one event loop, the output that the loop's connections gathered during the turn. A turn
 * reads every connection that was ready; holding the answers until all of them are read makes them leave
 * together, and the switches' next requests then arrive together as well, so the loop wakes less often per
 * request (measured in latency mode, 16 switches: ~7% more round trips than sending at the end of each
 * connection's read). One task per turn for all the loop's connections, where Netty's FlushConsolidationHandler
 * would submit one per connection. Confined to its event loop.
 */
final class TurnFlusher implements Runnable {

    /** What a connection does when its turn's output is due. */
    interface Due {
        void sendTurnOutput();
    }

    private final EventLoop loop;
    private List<Due> due = new ArrayList<>();
    private List<Due> sending = new ArrayList<>();

    TurnFlusher(EventLoop loop) {
        this.loop = loop;
    }

    /** Sends {@code connection}'s output at the end of this turn; a connection asks at most once per turn. */
    void sendAtEndOfTurn(Due connection) {
        assert loop.inEventLoop();
        if (due.isEmpty()) {
            loop.execute(this);
        }
        due.add(connection);
    }

    @Override
    public void run() {
        // a send may ask again (a write on the loop while sending): that goes into the next turn's list
        List<Due> now = due;
        due = sending;
        sending = now;
        for (int i = 0; i < now.size(); i++) {
            now.get(i).sendTurnOutput();
        }
        now.clear();
    }
}
