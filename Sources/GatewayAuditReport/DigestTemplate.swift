/// The digest's e-mail-safe HTML: every style inline (mail clients drop `<style>` and scripts), the
/// dashboard's colours, a CSP that forbids everything but those inline styles.
enum DigestTemplate {
    struct Page {
        let title: String
        let zone: String
        let headline: String
        let version: String
        let resources: [Resource]
    }

    struct Resource {
        let name: String
        let id: String
        let lines: [Line]
    }

    struct Line {
        let label: String
        let hasDiff: Bool
        let old: [HTMLContext.Segment]
        let new: [HTMLContext.Segment]
        /// The window or evidence, word by word: times never break inside.
        let note: [String]
        let warn: Bool
    }

    static let segments =
        "{{#p}}{{t}}{{/p}}{{#d}}<del style=\"background:#ffd9d9\">{{t}}</del>{{/d}}{{#i}}<ins style=\"background:#d4f5d4;text-decoration:none\">{{t}}</ins>{{/i}}"

    static let page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{{title}}</title>
        </head>
        <body style="margin:0;padding:16px;background:#ffffff;color:#1b1b1b;font:15px/1.45 system-ui,-apple-system,Segoe UI,sans-serif">
        <h1 style="font-size:20px;margin:0 0 4px">{{title}}</h1>
        <p style="margin:0 0 16px;color:#5a5a66">Times in <b style="color:#1b1b1b">{{zone}}</b> · {{headline}}</p>
        {{#resources}}<div style="border-top:1px solid #d9d9e3;padding:8px 0">
        <h2 style="font-size:16px;margin:0">{{name}} <span style="font:13px ui-monospace,Menlo,monospace;color:#5a5a66;white-space:nowrap">{{id}}</span></h2>
        <ul style="margin:4px 0 0;padding-left:20px">{{#lines}}<li style="margin:2px 0"><b{{#warn}} style="color:#d33"{{/warn}}>{{label}}</b>{{#hasDiff}}: <span style="font-family:ui-monospace,Menlo,monospace;font-size:13px">{{#old}}\(segments){{/old}}</span> → <span style="font-family:ui-monospace,Menlo,monospace;font-size:13px">{{#new}}\(segments){{/new}}</span>{{/hasDiff}} <span style="color:#5a5a66;font-size:13px">{{#note}}<span style="white-space:nowrap">{{.}}</span> {{/note}}</span></li>{{/lines}}</ul>
        </div>
        {{/resources}}
        <p style="color:#5a5a66;font-size:12px;margin-top:16px">gateway-audit {{version}} · `gateway-audit report changes --since …` lists every change</p>
        </body>
        </html>

        """
}
