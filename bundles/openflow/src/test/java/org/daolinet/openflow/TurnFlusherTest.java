package org.daolinet.openflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class TurnFlusherTest {

    @Test
    void everyConnectionThatAskedIsSentOnceWhenTheTurnEnds() {
        EmbeddedChannel loopOwner = new EmbeddedChannel();
        TurnFlusher flusher = new TurnFlusher(loopOwner.eventLoop());
        List<String> sent = new ArrayList<>();
        flusher.sendAtEndOfTurn(() -> sent.add("a"));
        flusher.sendAtEndOfTurn(() -> sent.add("b"));
        assertEquals(List.of(), sent, "nothing leaves before the turn ends");
        loopOwner.runPendingTasks();
        assertEquals(List.of("a", "b"), sent, "in the order they asked, once each");
        loopOwner.runPendingTasks();
        assertEquals(List.of("a", "b"), sent, "the list is empty after the turn");
        loopOwner.finishAndReleaseAll();
    }

    @Test
    void aConnectionAskingWhileTheTurnIsSentGoesIntoTheNextTurn() {
        EmbeddedChannel loopOwner = new EmbeddedChannel();
        TurnFlusher flusher = new TurnFlusher(loopOwner.eventLoop());
        List<String> sent = new ArrayList<>();
        flusher.sendAtEndOfTurn(() -> {
            sent.add("first");
            flusher.sendAtEndOfTurn(() -> sent.add("again"));
        });
        loopOwner.runPendingTasks();
        // EmbeddedEventLoop runs tasks queued by a running task in the same call, as a real loop's next batch would
        assertEquals(List.of("first", "again"), sent);
        loopOwner.runPendingTasks();
        assertEquals(List.of("first", "again"), sent, "each ask sent exactly once");
        loopOwner.finishAndReleaseAll();
    }

    @Test
    void aTurnStartsWithRoomForWhatTheLastTurnSent() {
        assertEquals(SwitchConnection.MIN_TURN_OUTPUT_BYTES, SwitchConnection.nextTurnOutputBytes(0));
        assertEquals(SwitchConnection.MIN_TURN_OUTPUT_BYTES, SwitchConnection.nextTurnOutputBytes(100));
        assertEquals(16384, SwitchConnection.nextTurnOutputBytes(10_000));
        assertEquals(16384, SwitchConnection.nextTurnOutputBytes(8192), "a full power of two gets room to grow");
        assertEquals(SwitchConnection.MAX_TURN_OUTPUT_BYTES, SwitchConnection.nextTurnOutputBytes(900_000));
        assertEquals(SwitchConnection.MAX_TURN_OUTPUT_BYTES, SwitchConnection.nextTurnOutputBytes(1 << 30),
                "never a negative size");
        assertEquals(SwitchConnection.MAX_TURN_OUTPUT_BYTES, SwitchConnection.nextTurnOutputBytes(Integer.MAX_VALUE));
    }
}
