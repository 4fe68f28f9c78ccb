// Decoding TopoJSON (https://github.com/topojson/topojson-specification) into SVG paths:
// arcs are delta-encoded integer positions, scaled and translated by the topology's
// transform; a negative arc index (~i) means arc i reversed.

export function decodeArcs(topology) {
  const { scale, translate } = topology.transform || { scale: [1, 1], translate: [0, 0] };
  return topology.arcs.map((arc) => {
    let x = 0, y = 0;
    return arc.map(([dx, dy]) => {
      if (topology.transform) { x += dx; y += dy; } else { x = dx; y = dy; }
      return [x * scale[0] + translate[0], y * scale[1] + translate[1]];
    });
  });
}

function ring(arcs, indexes) {
  const points = [];
  for (const i of indexes) {
    const arc = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
    points.push(...(points.length ? arc.slice(1) : arc));
  }
  return points;
}

/** [{id, name, rings: [[[lon, lat], ...], ...]}] for each Polygon/MultiPolygon geometry. */
export function features(topology, objectName) {
  const arcs = decodeArcs(topology);
  return topology.objects[objectName].geometries.map((g) => {
    const polygons = g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : [];
    return { id: g.id, name: g.properties?.name || "", rings: polygons.flatMap((poly) => poly.map((r) => ring(arcs, r))) };
  });
}

/** A ring with longitudes made continuous (no ±360 jumps at the antimeridian). */
function unwrap(ring) {
  let shift = 0;
  return ring.map(([lon, lat], i) => {
    if (i) {
      const prev = ring[i - 1][0];
      if (lon - prev > 180) shift -= 360;
      else if (prev - lon > 180) shift += 360;
    }
    return [lon + shift, lat];
  });
}

/** An SVG path for rings of [lon, lat] under a projection [lon, lat] -> [x, y]. Rings that
 * cross the antimeridian are drawn continuous, plus a copy shifted by 360° for the part that
 * wraps to the other edge (the SVG viewBox clips both). */
export function path(rings, project) {
  const parts = [];
  for (const raw of rings) {
    const ring = unwrap(raw);
    const lons = ring.map((p) => p[0]);
    const shifts = [0];
    if (Math.max(...lons) > 180) shifts.push(-360);
    if (Math.min(...lons) < -180) shifts.push(360);
    for (const dx of shifts) {
      parts.push("M" + ring.map(([lon, lat]) => project([lon + dx, lat]).map((v) => v.toFixed(1)).join(",")).join("L") + "Z");
    }
  }
  return parts.join("");
}
