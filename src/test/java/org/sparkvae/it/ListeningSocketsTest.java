package org.sparkvae.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The /proc/net/tcp parser works on one snapshot of a table, whatever happens to the live file meanwhile. */
class ListeningSocketsTest {
    private static final String HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

    @Test
    void listeningRowsOfTheGivenInodesOnly() {
        List<String> rows = List.of(HEADER,
                "   0: 0100007F:1BA5 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0 100 0 0 10 0",
                "   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 9999 1 0 100 0 0 10 0",
                "   2: 0100007F:1BA5 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 4242 1 0 20 4 30 10 -1",
                "   3: truncated row");
        assertEquals(List.of("127.0.0.1:7077"), ListeningSockets.listening(rows, Set.of("4242")));
        assertEquals(List.of("0.0.0.0:22"), ListeningSockets.listening(rows, Set.of("9999")));
    }

    @Test
    void anEmptyOrHeaderOnlySnapshotHasNoRows() {
        // a table read while the last socket closed: only the header (before, the second read's length was
        // used as the first read's bound and threw IndexOutOfBoundsException)
        assertEquals(List.of(), ListeningSockets.listening(List.of(HEADER), Set.of("1")));
        assertEquals(List.of(), ListeningSockets.listening(List.of(), Set.of("1")));
    }
}
