import GatewayAuditCore
import GatewayAuditStore

/// The HTML report's Mustache templates, compiled into the binary. Every `{{value}}` is HTML-escaped by
/// the template engine; the page loads nothing from outside and runs no script (see its CSP).
enum HTMLTemplates {
    static let head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="generator" content="gateway-audit {{version}}" />
        <title>{{title}} ({{zone}})</title>
        <style>
        body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem; color: #1b1b1b; }
        h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; margin: 0; overflow-wrap: anywhere; }
        .meta { color: #555; margin: 0 0 1rem; } .meta b { color: #1b1b1b; }
        section { border-top: 2px solid #ccd; padding: .75rem 0 1rem; break-inside: avoid-page; }
        .sub { color: #555; font-size: .9rem; overflow-wrap: anywhere; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: .85rem; margin-top: .5rem; }
        th, td { border: 1px solid #dde; padding: .2rem .4rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
        th { background: #f3f3f8; }
        td.changed { background: #fff3c4; font-weight: 600; }
        tr.gone td { color: #777; background: #f4f4f4; }
        .anomalies { margin: .5rem 0 0; padding-left: 1.2rem; font-size: .9rem; }
        .kind { font-family: ui-monospace, monospace; background: #fde2e2; padding: 0 .25rem; }
        svg { width: 100%; height: 34px; display: block; margin-top: .4rem; }
        .present0 { fill: #4c8bd6; } .present1 { fill: #7fb0ea; } .goneband { fill: #bbb; }
        .change { fill: #e0a100; } .failed { fill: #d33; } .axis { fill: #888; font-size: 9px; }
        .legend span { display: inline-block; margin-right: 1rem; font-size: .85rem; }
        .sw { display: inline-block; width: .8rem; height: .8rem; vertical-align: middle; margin-right: .25rem; }
        @media print { body { max-width: none; font-size: 11px; } .scroll { overflow: visible; } section { break-inside: avoid; } }
        @media (max-width: 40rem) { body { padding: .5rem; } table { font-size: .78rem; } }
        </style>
        </head>
        <body>
        <header>
        <h1>{{title}}</h1>
        <p class="meta">Times in <b>{{zone}}</b> (every time shows its UTC offset) · generated {{generated}} · {{filters}}</p>
        <p class="legend"><span><i class="sw" style="background:#4c8bd6"></i>snapshot (a state, as long as it was seen)</span><span><i class="sw" style="background:#e0a100"></i>change</span><span><i class="sw" style="background:#bbb"></i>gone</span><span><i class="sw" style="background:#d33"></i>failed observation (gap)</span></p>
        </header>
        <main>

        """

    static let section = """
        <section id="gw-{{anchor}}">
        <h2>{{title}}</h2>
        <p class="sub">id {{id}} · {{state}} · first seen {{firstSeen}} · last seen {{lastSeen}} · {{snapshotCount}} snapshot(s)</p>{{#hasLinks}}<p class="sub links">{{#links}}<span>{{relation}} {{#hasHref}}<a href="{{href}}">{{text}}</a>{{/hasHref}}{{^hasHref}}{{text}}{{/hasHref}}</span> {{/links}}</p>{{/hasLinks}}
        <svg viewBox="0 0 1000 34" preserveAspectRatio="none" role="img" aria-label="timeline of {{id}}">
        {{#bands}}<rect class="{{cls}}" x="{{x}}" y="6" width="{{width}}" height="14"><title>{{label}}</title></rect>{{/bands}}
        {{#marks}}<rect class="{{cls}}" x="{{x}}" y="2" width="3" height="22"><title>{{label}}</title></rect>{{/marks}}
        <text class="axis" x="0" y="32">{{rangeStart}}</text><text class="axis" x="1000" y="32" text-anchor="end">{{rangeEnd}}</text>
        </svg>
        <div class="scroll"><table>
        <thead><tr>{{#columns}}<th>{{.}}</th>{{/columns}}</tr></thead>
        <tbody>
        {{#rows}}<tr class="{{cls}}">{{#cells}}<td class="{{cls}}">{{text}}</td>{{/cells}}</tr>
        {{/rows}}
        </tbody></table></div>
        {{#hasAnomalies}}<ul class="anomalies">{{#anomalies}}<li><span class="kind">{{kind}}</span> on {{field}} (snapshot {{seq}}): {{explanation}} <span class="sub">{{detail}}</span></li>{{/anomalies}}</ul>{{/hasAnomalies}}
        {{#hasFailures}}<ul class="anomalies">{{#failures}}<li><span class="kind">failed</span> {{at}} (run {{run}}): {{error}}</li>{{/failures}}</ul>{{/hasFailures}}
        </section>

        """

    /// The opening table of scopes, each linking to its first section.
    static let scopes = """
        <section id="scopes">
        <h2>Scopes</h2>
        <div class="scroll"><table>
        <thead><tr><th>account</th><th>region</th><th>project</th><th>present</th><th>gone</th><th>changes in range</th><th>last run</th><th>last run time</th></tr></thead>
        <tbody>
        {{#scopes}}<tr><td><a href="#{{anchor}}">{{account}}</a></td><td>{{region}}</td><td><a href="#{{anchor}}">{{project}}</a></td><td>{{present}}</td><td>{{gone}}</td><td>{{changes}}</td><td>{{lastRunStatus}}</td><td>{{lastRunTime}}</td></tr>
        {{/scopes}}
        </tbody></table></div>
        </section>

        """

    /// Where a scope's sections begin.
    static let scopeHeading = """
        <h2 class="scope" id="{{anchor}}">Scope {{scope}}</h2>

        """

    static let empty = """
        <p>No gateway matches this report's filters.</p>

        """

    static let foot = """
        </main>
        <footer><p class="meta">{{rowCount}} row(s) · columns documented in reports/README.md · gateway-audit {{version}}</p></footer>
        </body>
        </html>

        """
}
