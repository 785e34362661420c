import Crypto
import Foundation
import GatewayAuditCore

/// The dashboard's only script: search, "changed only" / "anomalies only" filters, index sort, opening
/// a linked section, and opening every `<details>` for printing. The page is complete without it. The
/// CSP allows exactly this text by its SHA-256, computed here from the same string the page embeds, so
/// the two cannot drift. It contains no `<` or `&`, so the page stays well-formed XML.
public enum DashboardScript {
    /// The script text, embedded verbatim between `<script>` and `</script>`.
    public static let source = """
        (function () {
          var d = document, closed = [];
          window.addEventListener('beforeprint', function () {
            closed = [].filter.call(d.querySelectorAll('details'), function (x) { return !x.open; });
            closed.forEach(function (x) { x.open = true; });
          });
          window.addEventListener('afterprint', function () { closed.forEach(function (x) { x.open = false; }); });
          function openTarget() {
            var t = location.hash ? d.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
            var x = t ? t.closest('details') || t.querySelector('details') : null;
            if (x) { x.open = true; }
            if (t) { t.scrollIntoView(); }
          }
          window.addEventListener('hashchange', openTarget);
          openTarget();
          var tools = d.getElementById('tools');
          if (!tools) { return; }
          tools.hidden = false;
          var q = d.getElementById('q'), co = d.getElementById('co'), ao = d.getElementById('ao');
          var shown = d.getElementById('shown');
          var body = d.querySelector('#index tbody');
          var rows = [].slice.call(body.rows);
          var quiet = [].slice.call(d.querySelectorAll('#quiet tbody tr'));
          function section(r) { return d.getElementById(r.cells[0].firstChild.getAttribute('href').slice(1)); }
          function apply() {
            var term = q.value.trim().toLowerCase(), count = 0, total = rows.length;
            rows.forEach(function (r) {
              var s = section(r), ok = true;
              if (r.searchText === undefined) {
                r.searchText = (r.textContent + ' ' + (s ? s.textContent : '')).toLowerCase();
              }
              if (co.checked) { if (r.cells[4].textContent === '0') { ok = false; } }
              if (ao.checked) { if (r.cells[6].textContent === '0') { ok = false; } }
              if (term) { if (r.searchText.indexOf(term) === -1) { ok = false; } }
              r.hidden = !ok;
              if (s) { s.hidden = !ok; }
              if (ok) { count += 1; }
            });
            quiet.forEach(function (r) {
              var ok = !co.checked;
              if (ao.checked) { ok = false; }
              if (term) { if (r.textContent.toLowerCase().indexOf(term) === -1) { ok = false; } }
              r.hidden = !ok;
              if (r.id) {
                total += 1;
                if (ok) { count += 1; }
              }
            });
            shown.textContent = count + ' of ' + total + ' gateways shown';
          }
          [q, co, ao].forEach(function (x) { x.addEventListener('input', apply); });
          var heads = [].slice.call(d.querySelectorAll('#index thead th'));
          heads.forEach(function (th, i) {
            th.tabIndex = 0;
            function sort() {
              var up = th.getAttribute('aria-sort') !== 'ascending', num = th.hasAttribute('data-num');
              heads.forEach(function (o) { o.removeAttribute('aria-sort'); });
              th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
              rows.sort(function (a, b) {
                var x = a.cells[i].textContent, y = b.cells[i].textContent;
                var c = num ? Number(x) - Number(y) : x.localeCompare(y);
                return up ? c : -c;
              });
              rows.forEach(function (r) { body.appendChild(r); });
            }
            th.addEventListener('click', sort);
            th.addEventListener('keydown', function (e) { if (e.key === 'Enter') { sort(); } });
          });
          apply();
        })();
        """

    /// `'sha256-…'`, the CSP source expression that allows ``source`` and nothing else.
    public static let cspHash = "'sha256-" + Data(SHA256.hash(data: Data(source.utf8))).base64EncodedString() + "'"
}
