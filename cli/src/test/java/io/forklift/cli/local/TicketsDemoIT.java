package io.forklift.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.examples.tickets.Tickets;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * {@code forklift local --demo tickets --pause}: a buyer SIGSTOPped while it holds the lock, past
 * the lock's lease, and resumed; still exactly 20 tickets sold, because its late write is refused.
 */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@Timeout(300)
class TicketsDemoIT {
    @Test
    void aPausedHoldersLateWriteIsRefusedAndExactlyTwentyAreSold(TestRedis redis) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        LocalCommand command;
        int status;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            command = new LocalCommand();
            status = new CommandLine(command)
                    .execute(
                            "--redis",
                            redis.uri(),
                            "--prefix",
                            redis.prefix("tickets"),
                            "--metrics-port",
                            "-1",
                            "--demo",
                            "tickets",
                            "--pause",
                            "--logs",
                            "target/it-logs/local-tickets");
        } finally {
            System.setOut(stdout);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        Tickets.Results r = command.ticketResults;
        assertNotNull(r, "no results; exit status " + status + "; it printed:\n" + out);
        assertEquals(0, status);
        assertEquals(Tickets.TICKETS, r.sold(), out);
        assertEquals(Tickets.BUYERS - Tickets.TICKETS, r.soldOut());
        assertEquals(0, r.ticketsLeft());
        assertTrue(r.pausedPid() > 0, "a buyer was stopped");
        assertTrue(r.refusedWrites() >= 1, "the stopped buyer's late write was refused:\n" + out);
    }
}
