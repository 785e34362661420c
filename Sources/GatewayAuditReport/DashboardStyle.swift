/// The dashboard's style sheet, shared by the report pages and the digest's HTML. Colours are custom
/// properties so dark mode (`prefers-color-scheme`) swaps them in one place; print opens out the page.
public enum DashboardStyle {
    /// The CSS, inlined in a `<style>` element (or, for e-mail, used through ``emailInline``).
    public static let css = """
        :root{--fg:#1b1b1b;--mute:#5a5a66;--bg:#fff;--line:#d9d9e3;--head:#f2f2f7;--hi:#fff1b8;--del:#ffd9d9;--ins:#d4f5d4;
        --band0:#4c8bd6;--band1:#86b5ec;--gone:#b3b3b3;--chg:#d08a00;--fail:#d33;--kind:#fde2e2;--link:#1a5fb4;color-scheme:light dark}
        @media (prefers-color-scheme:dark){:root{--fg:#e6e6ea;--mute:#a4a4b2;--bg:#17171c;--line:#3a3a46;--head:#24242c;
        --hi:#5a4a10;--del:#5c2226;--ins:#1f4a26;--band0:#5d9be3;--band1:#2f5f99;--gone:#6a6a6a;--chg:#f0b030;--kind:#4a2326;--link:#8ab4f8}}
        body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:80rem;padding:1rem;color:var(--fg);background:var(--bg)}
        a{color:var(--link)}h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:0}
        h2.scope{margin:1.2rem 0 .3rem;overflow-wrap:break-word}.links{margin:.2rem 0;overflow-wrap:break-word}
        .meta,.sub{color:var(--mute)}.meta{margin:0 0 1rem}.meta b{color:var(--fg)}.sub{font-size:.88rem}
        code,.id{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85em;white-space:nowrap}
        .nw{white-space:nowrap}.hash{display:inline-block;max-width:100%;overflow-x:auto;vertical-align:bottom}
        .kpi{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.5rem;margin:.5rem 0;padding:0}
        .kpi div{border:1px solid var(--line);border-radius:6px;padding:.4rem .6rem}.kpi dt{color:var(--mute);font-size:.8rem}
        .kpi dd{margin:0;font-size:1.35rem;font-weight:600}.kpi .warn dd{color:var(--fail)}
        #tools{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.5rem 0}
        #tools input[type=search]{font:inherit;padding:.25rem .4rem;min-width:14rem;max-width:100%}
        .scroll{overflow-x:auto;max-width:100%}
        table{border-collapse:collapse;font-size:.84rem;margin-top:.4rem}
        th,td{border:1px solid var(--line);padding:.2rem .45rem;text-align:left;vertical-align:top;white-space:nowrap}
        th{background:var(--head);word-break:keep-all;position:sticky;top:0}
        #index th{cursor:pointer}#index th[aria-sort=ascending]::after{content:" ▲"}#index th[aria-sort=descending]::after{content:" ▼"}
        td.w{white-space:normal;min-width:12rem;max-width:28rem;overflow-wrap:normal}
        td.ch{background:var(--hi);font-weight:600}tr.gone td{color:var(--mute);background:var(--head)}
        del{background:var(--del);text-decoration:line-through}ins{background:var(--ins);text-decoration:none}
        mark{background:var(--hi);color:inherit}
        section.res{border-top:1px solid var(--line);padding:.35rem 0}section.res[hidden]{display:none}
        summary{cursor:pointer;padding:.15rem 0}summary h2{display:inline;font-size:1.02rem}
        details[open]>summary{margin-bottom:.3rem}
        .diffs{margin:.4rem 0;padding-left:1.2rem;font-size:.88rem}.diffs li{overflow-wrap:break-word}
        .kind{font-family:ui-monospace,monospace;background:var(--kind);padding:0 .25rem;white-space:nowrap}
        .notes{margin:.4rem 0 0;padding-left:1.2rem;font-size:.88rem}
        .tl{position:relative;margin:.3rem 0 1.3rem}.tl svg{width:100%;height:26px;display:block}
        .tk i{position:absolute;top:26px;height:5px;border-left:1px solid var(--mute)}
        .tk i::after{position:absolute;top:6px;left:-2.6em;font:normal .7rem system-ui,sans-serif;color:var(--mute);white-space:nowrap}
        .tk i:first-child::after{left:0}.tk i:last-child::after{left:auto;right:0}
        .b0{fill:var(--band0)}.b1{fill:var(--band1)}.bg{fill:var(--gone)}.mc{fill:var(--chg)}.mf{fill:var(--fail)}
        .legend{font-size:.85rem;color:var(--mute)}.legend span{display:inline-block;margin-right:1rem}
        .sw{display:inline-block;width:.8rem;height:.8rem;vertical-align:middle;margin-right:.25rem;border-radius:2px}
        @media (max-width:40rem){body{padding:.5rem;font-size:14px}table{font-size:.78rem}.tk i:nth-child(even)::after{display:none}
        .kpi{grid-template-columns:repeat(2,1fr)}}
        @media print{body{max-width:none;font-size:10.5px;color:#000;background:#fff}#tools{display:none}.scroll{overflow:visible}
        section.res{break-inside:avoid-page}th{position:static}a{color:inherit;text-decoration:none}summary{list-style:none}}
        """
}
