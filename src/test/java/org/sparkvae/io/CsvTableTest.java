package org.sparkvae.io;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Numbers as before (integers as they are, six decimals), text quoted as RFC 4180 asks. */
class CsvTableTest {
    @Test
    void formatsNumbersAndQuotesWhatNeedsIt() {
        Map<String, Object> r = new HashMap<>();
        r.put("i", 3);
        r.put("l", 4L);
        r.put("d", 88.123456789);
        r.put("comma", "a,b");
        r.put("quote", "say \"hi\"");
        r.put("newline", "two\nlines");
        r.put("plain", "x");
        r.put("path", "/tmp/sweep/models/0727e13e.zip");
        r.put("time", "2026-11-30T20:48:01.823Z");
        String csv = CsvTable.format(List.of("i", "l", "d", "absent", "comma", "quote", "newline", "plain", "path", "time"), List.of(r));
        assertEquals("i,l,d,absent,comma,quote,newline,plain,path,time\n"
                + "3,4,88.123457,,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",x,/tmp/sweep/models/0727e13e.zip,2026-11-30T20:48:01.823Z\n",
                csv, "only what needs quotes is quoted");
    }
}
