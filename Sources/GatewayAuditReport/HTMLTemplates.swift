import GatewayAuditCore
import GatewayAuditStore

/// The HTML report's Mustache templates, compiled into the binary. Every `{{value}}` is HTML-escaped by
/// the template engine; `{{{…}}}` is used only for the style sheets and for the table rows, which the
/// code writes itself, escaping every value the same way (``HTMLContext/markup(_:)``). The
/// page loads nothing from outside and runs only its own inline script, allowed by hash (see the CSP).
enum HTMLTemplates {
    /// A value in segments: removed parts in `<del>`, inserted in `<ins>`, break points as `<wbr>`.
    static let segments =
        "{{#p}}{{t}}{{/p}}{{#d}}<del>{{t}}</del>{{/d}}{{#i}}<ins>{{t}}</ins>{{/i}}{{#w}}<wbr />{{/w}}"

    static let head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src {{{scriptHash}}}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="generator" content="gateway-audit {{version}}" />
        <title>{{title}} ({{zone}})</title>
        <style>
        {{{css}}}
        {{{tickCSS}}}
        </style>
        </head>
        <body>
        <header>
        <h1>{{title}}</h1>
        <p class="meta">Times in <b>{{zone}}</b> (every time shows its UTC offset) · generated <span class="nw">{{generated}}</span> · {{filters}}</p>
        </header>
        <main>

        """

    static let overview = """
        <section id="summary">
        <h2>Summary</h2>
        <dl class="kpi">{{#figures}}<div{{#warn}} class="warn"{{/warn}}><dt>{{label}}</dt><dd>{{value}}</dd></div>{{/figures}}</dl>
        {{#hasKinds}}<p class="sub">Anomalies by kind: {{#kinds}}<span class="kind">{{label}}</span> {{value}} {{/kinds}}</p>{{/hasKinds}}
        {{#hasRun}}<p class="sub">Latest run: {{runHead}}, <span class="nw">{{runStarted}}</span> – <span class="nw">{{runFinished}}</span>: {{runCounts}}</p>{{/hasRun}}
        <p class="sub">Chain head <code class="hash">{{chainHead}}</code> (`gateway-audit verify` checks it)</p>
        </section>
        <nav id="index" aria-label="index">
        <h2>Index</h2>
        <div id="tools" hidden=""><input id="q" type="search" placeholder="Search name, id, field, value" aria-label="search" /><label><input id="co" type="checkbox" /> changed only</label><label><input id="ao" type="checkbox" /> anomalies only</label><span id="shown" class="sub"></span></div>
        <div class="scroll"><table>
        <thead><tr><th>name</th><th>id</th><th>state</th><th data-num="">snapshots</th><th data-num="">changes</th><th>last change (window)</th><th data-num="">anomalies</th><th data-num="">failed</th></tr></thead>
        <tbody>
        {{{indexHTML}}}</tbody></table></div>
        {{#hasQuiet}}<p class="sub"><a href="#quiet">{{quietCount}} quiet gateway(s)</a>: nothing changed, no anomaly and no failed observation in range; one row each in the table at the end.</p>{{/hasQuiet}}
        </nav>
        <p class="legend"><span><i class="sw" style="background:var(--band0)"></i>snapshot (a state, as long as it was seen)</span><span><i class="sw" style="background:var(--chg)"></i>change</span><span><i class="sw" style="background:var(--gone)"></i>gone</span><span><i class="sw" style="background:var(--fail)"></i>failed observation (gap)</span></p>

        """

    static let section = """
        <section id="gw-{{anchor}}" class="res"><details{{#open}} open=""{{/open}}>
        <summary><h2>{{title}}</h2> <span class="sub"><span class="id">{{id}}</span> · {{state}}</span></summary>
        {{#hasLinks}}<p class="sub links">{{#links}}<span>{{relation}} {{#hasHref}}<a href="{{href}}">{{text}}</a>{{/hasHref}}{{^hasHref}}{{text}}{{/hasHref}}</span> {{/links}}</p>{{/hasLinks}}
        {{#hasTimeline}}<div class="tl"><svg viewBox="0 0 1000 26" preserveAspectRatio="none" role="img">{{#bands}}<rect class="{{cls}}" x="{{x}}" y="6" width="{{width}}" height="14"><title>{{label}}</title></rect>{{/bands}}{{#marks}}<rect class="{{cls}}" x="{{x}}" y="1" width="4" height="24"><title>{{label}}</title></rect>{{/marks}}</svg><span class="tk">{{{ticks}}}</span></div>{{/hasTimeline}}
        {{#hasDiffs}}<ul class="diffs">{{#diffs}}<li><b>{{field}}</b> <span class="sub">{{change}} <span class="nw">{{before}}</span> – <span class="nw">{{after}}</span></span>: {{#hasOld}}<span>{{#old}}\(segments){{/old}}</span>{{/hasOld}} → {{#hasNew}}<span>{{#new}}\(segments){{/new}}</span>{{/hasNew}}</li>{{/diffs}}</ul>{{/hasDiffs}}
        <div class="scroll"><table>
        <thead><tr>{{#columns}}<th>{{.}}</th>{{/columns}}</tr></thead>
        <tbody>
        {{{rowsHTML}}}</tbody></table></div>
        {{#hasAnomalies}}<ul class="notes">{{#anomalies}}<li><span class="kind">{{kind}}</span> on {{field}} (snapshot {{seq}}): {{explanation}} <span class="sub">{{#detail}}<span class="nw">{{.}}</span> {{/detail}}</span></li>{{/anomalies}}</ul>{{/hasAnomalies}}
        {{#hasFailures}}<ul class="notes">{{#failures}}<li><span class="kind">failed</span> <span class="nw">{{at}}</span> (run {{run}}): {{error}}</li>{{/failures}}</ul>{{/hasFailures}}
        </details></section>

        """

    /// The table of scopes, each linking to where its sections begin.
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

    static let quiet = """
        <section id="quiet" class="res"><details>
        <summary><h2>{{count}} quiet gateway(s)</h2> <span class="sub">nothing changed, no anomaly, no failed observation in range</span></summary>{{#hasCommon}}
        <p class="sub">The same in every row: {{#common}}<span class="nw"><b>{{name}}</b> {{value}}</span> {{/common}}</p>{{/hasCommon}}
        <div class="scroll"><table>
        <thead><tr>{{#columns}}<th>{{.}}</th>{{/columns}}</tr></thead>
        <tbody>
        {{{rowsHTML}}}</tbody></table></div>
        </details></section>

        """

    static let empty = """
        <p>No gateway matches this report's filters.</p>

        """

    static let foot = """
        </main>
        <footer><p class="meta">{{rowCount}} row(s) · columns documented in reports/README.md · gateway-audit {{version}}</p></footer>

        """
}
