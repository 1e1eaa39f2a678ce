import { escapeHtml, renderOfflinePage } from "../../components/proxy/offline-page";

test("escapeHtml turns each of & < > \" ' into its entity, & first so entities already in the text stay text", () => {
  expect(escapeHtml(`Tom & Jerry <b>"bold"</b> it's &lt;`)).toBe(
    "Tom &amp; Jerry &lt;b&gt;&quot;bold&quot;&lt;/b&gt; it&#39;s &amp;lt;",
  );
});

test("the offline page, written out: escaped title in <title> and <h1>, message lines joined by <br>", () => {
  expect(renderOfflinePage({ title: "Galaxy <down>\n& out", message: 'Back at 9 & "soon"\nsee <you>' })).toBe(
    [
      "<!DOCTYPE html>",
      '<html lang="en">',
      "<head>",
      '<meta charset="utf-8">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      "<title>Galaxy &lt;down&gt; &amp; out</title>",
      "<style>",
      "body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #222; }",
      "h1 { font-size: 1.5rem; }",
      "</style>",
      "</head>",
      "<body>",
      "<h1>Galaxy &lt;down&gt; &amp; out</h1>",
      "<p>Back at 9 &amp; &quot;soon&quot;<br>see &lt;you&gt;</p>",
      "</body>",
      "</html>",
      "",
    ].join("\n"),
  );
});

test("Windows and old Mac line breaks in the message become <br> too; runs of blanks in the title become one space", () => {
  const page = renderOfflinePage({ title: "Galaxy\t\t is\r\n off", message: "one\r\ntwo\rthree\n\nfive" });
  expect(page).toContain("<title>Galaxy is off</title>");
  expect(page).toContain("<h1>Galaxy is off</h1>\n<p>one<br>two<br>three<br><br>five</p>\n</body>");
});

test("the expected-back date is escaped in the attribute and the text", () => {
  expect(renderOfflinePage({ title: "t", message: "m", until: '2026-12-01"<x>' })).toContain(
    '<p>m</p>\n<p>Expected back: <time datetime="2026-12-01&quot;&lt;x&gt;">2026-12-01&quot;&lt;x&gt;</time></p>\n</body>\n</html>\n',
  );
});
