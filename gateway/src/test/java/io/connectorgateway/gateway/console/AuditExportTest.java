package io.connectorgateway.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The export's CSV cells and the search form's times, without a server. */
class AuditExportTest {
    @Test
    void aCellThatASpreadsheetWouldTakeForAFormulaIsDefusedThenQuoted() {
        assertEquals("'=SUM(A1:A9)", AuditExport.cell("=SUM(A1:A9)"));
        assertEquals("'+81 3 1234", AuditExport.cell("+81 3 1234"));
        assertEquals("'-5", AuditExport.cell("-5"));
        assertEquals("'@cmd", AuditExport.cell("@cmd"));
        assertEquals("'\tx", AuditExport.cell("\tx"));
        assertEquals("\"'\rx\"", AuditExport.cell("\rx"), "defused, and quoted for the CR");
        assertEquals("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", AuditExport.cell("=HYPERLINK(\"http://x\",\"y\")"));
        assertEquals("\"a,b\"", AuditExport.cell("a,b"));
        assertEquals("\"line\nnext\"", AuditExport.cell("line\nnext"));
        assertEquals("a-b=c", AuditExport.cell("a-b=c"), "only the first character counts");
        assertEquals("こんにちは", AuditExport.cell("こんにちは"));
        assertEquals("", AuditExport.cell(""));
    }

    @Test
    void theFormsTimesAreUtcAndTheEndTakesInItsWholeMinuteOrSecond() {
        assertEquals("2025-10-09T08:53:00Z", AuditPage.instant("2025-10-09T08:53", false));
        assertEquals("2025-10-09T08:53:59.999Z", AuditPage.instant("2025-10-09T08:53", true));
        assertEquals("2025-10-09T08:53:21.999Z", AuditPage.instant("2025-10-09T08:53:21", true));
        assertEquals("1760000000000", AuditPage.instant("1760000000000", true), "epoch ms passed on to the service");
        assertEquals("yesterday", AuditPage.instant("yesterday", false), "the service names what is wrong");
        assertNull(AuditPage.instant(null, false));
        var filter = AuditPage.filter(Map.of("room", " rA ", "member", "", "to", "2025-10-09T08:53"));
        assertEquals("rA", filter.room());
        assertNull(filter.member());
        assertEquals("2025-10-09T08:53:59.999Z", filter.to());
    }
}
