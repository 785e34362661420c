import Mustache

// The template engine reads a context's values by reflection (`Mirror`), which dominates the time to
// write a page of 1,000 gateways; the contexts rendered once per diff segment and timeline mark
// answer by name instead (table and index rows are not rendered by the engine at all: HTMLContext+Markup.swift).
// An unknown name answers nil, so the engine looks it up in the enclosing context as before.

extension HTMLContext.Segment: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "t": return t
        case "p": return p
        case "d": return d
        case "i": return i
        case "w": return w
        default: return nil
        }
    }
}

extension Timeline.Band: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "cls": return cls
        case "x": return x
        case "width": return width
        case "label": return label
        default: return nil
        }
    }
}

extension Timeline.Mark: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "cls": return cls
        case "x": return x
        case "label": return label
        default: return nil
        }
    }
}

extension HTMLContext.Section: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "anchor": return anchor
        case "open": return self.open
        case "title": return self.title
        case "id": return self.id
        case "state": return self.state
        case "hasTimeline": return hasTimeline
        case "bands": return bands
        case "marks": return marks
        case "ticks": return ticks
        case "hasDiffs": return hasDiffs
        case "diffs": return diffs
        case "columns": return self.columns
        case "rowsHTML": return rowsHTML
        case "hasAnomalies": return hasAnomalies
        case "anomalies": return anomalies
        case "hasFailures": return hasFailures
        case "failures": return failures
        case "hasLinks": return hasLinks
        case "links": return links
        default: return nil
        }
    }
}

extension HTMLContext.Link: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "relation": return relation
        case "text": return text
        case "href": return href
        case "hasHref": return hasHref
        default: return nil
        }
    }
}
