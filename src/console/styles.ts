/**
 * The console's one stylesheet, served as /console/assets/console.css (the CSP allows styles
 * from this origin only, so no inline style). One column under 600 px; focus always visible.
 */
export const CONSOLE_CSS = `
:root { --ink:#1b1f24; --muted:#5b6470; --line:#d7dce2; --bg:#f5f6f8; --card:#fff; --accent:#0b5cad; --bad:#b42318; --warn:#9a6700; --ok:#1a7f37; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--ink); background:var(--bg); }
a { color:var(--accent); }
:focus-visible { outline:3px solid var(--accent); outline-offset:2px; }
header { display:flex; flex-wrap:wrap; gap:.5rem 1rem; align-items:center; padding:.6rem 1rem; background:#10233a; color:#fff; }
header a { color:#fff; text-decoration:none; padding:.2rem .4rem; border-radius:4px; }
header a[aria-current="page"] { background:#ffffff2a; }
header .who { margin-left:auto; font-size:.9rem; opacity:.9; }
header form { display:inline; }
main { padding:1rem; max-width:1400px; margin:0 auto; }
h1 { font-size:1.35rem; margin:.2rem 0 1rem; }
h2 { font-size:1.05rem; margin:1.2rem 0 .5rem; }
.skip { position:absolute; left:-999px; } .skip:focus { left:1rem; top:.5rem; background:#fff; color:var(--ink); padding:.3rem; }
.columns { display:grid; grid-template-columns:repeat(4,minmax(0,1fr)); gap:.8rem; }
.column { background:#e9ecf0; border-radius:8px; padding:.5rem; min-height:6rem; }
.column h2 { margin:.2rem .2rem .5rem; font-size:.95rem; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); }
.card { display:block; background:var(--card); border:1px solid var(--line); border-left:4px solid var(--line); border-radius:6px; padding:.5rem .6rem; margin-bottom:.5rem; color:inherit; text-decoration:none; }
.card:hover { border-color:var(--accent); }
.card .top { display:flex; justify-content:space-between; gap:.5rem; font-weight:600; }
.card .meta { color:var(--muted); font-size:.85rem; }
.card.overdue { border-left-color:var(--bad); }
.card.escalated { border-left-color:var(--warn); }
.tag { display:inline-block; font-size:.75rem; padding:0 .35rem; border-radius:3px; background:#eef1f4; color:var(--ink); font-weight:600; }
.tag.bad { background:#fde8e6; color:var(--bad); } .tag.warn { background:#fff3d6; color:var(--warn); } .tag.ok { background:#e3f4e8; color:var(--ok); }
.search { display:flex; gap:.5rem; margin-bottom:1rem; flex-wrap:wrap; }
input, select, textarea, button { font:inherit; }
input, select, textarea { padding:.4rem .5rem; border:1px solid #aab3bd; border-radius:5px; background:#fff; min-width:0; }
textarea { width:100%; min-height:4rem; }
button { padding:.4rem .8rem; border:1px solid var(--accent); background:var(--accent); color:#fff; border-radius:5px; cursor:pointer; }
button.secondary { background:#fff; color:var(--accent); }
header button { background:transparent; border-color:#ffffff80; padding:.15rem .5rem; }
.panel { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:.8rem 1rem; margin-bottom:1rem; }
.grid2 { display:grid; grid-template-columns:minmax(0,3fr) minmax(0,2fr); gap:1rem; }
dl.fields { display:grid; grid-template-columns:max-content 1fr; gap:.25rem 1rem; margin:0; }
dl.fields dt { color:var(--muted); } dl.fields dd { margin:0; overflow-wrap:anywhere; }
.missing { color:var(--bad); font-weight:600; }
.error { background:#fde8e6; color:var(--bad); border:1px solid #f5b5ad; padding:.6rem .8rem; border-radius:6px; margin-bottom:1rem; }
.notice { background:#e3f4e8; border:1px solid #a6dcb5; padding:.6rem .8rem; border-radius:6px; margin-bottom:1rem; }
.grid2 > * { min-width:0; }
.actions form { display:flex; flex-wrap:wrap; gap:.4rem; align-items:center; margin:.4rem 0 .8rem; }
.actions label, .stack label { display:flex; flex-direction:column; font-size:.85rem; color:var(--muted); gap:.15rem; }
.stack { display:grid; grid-template-columns:repeat(auto-fill,minmax(min(14rem,100%),1fr)); gap:.5rem; }
.actions input, .actions select, .stack input, .stack select { max-width:100%; }
ol.timeline { list-style:none; padding:0; margin:0; }
ol.timeline li { border-left:2px solid var(--line); padding:.2rem 0 .6rem .7rem; overflow-wrap:anywhere; }
.panel { overflow-wrap:anywhere; }
ol.timeline .when { color:var(--muted); font-size:.8rem; }
pre { white-space:pre-wrap; overflow-wrap:anywhere; background:#f0f2f5; padding:.6rem; border-radius:6px; font-size:.85rem; }
table { border-collapse:collapse; width:100%; background:#fff; }
th, td { text-align:left; padding:.4rem .5rem; border-bottom:1px solid var(--line); vertical-align:top; }
.diff .add { background:#e3f4e8; } .diff .del { background:#fde8e6; }
.signin { max-width:26rem; margin:3rem auto; }
.signin form { display:flex; flex-direction:column; gap:.5rem; }
.muted { color:var(--muted); }
.sample ol { display:flex; flex-wrap:wrap; gap:.3rem .9rem; padding:0; margin:0 0 1rem; list-style:none; }
.sample a[aria-current] { font-weight:700; }
fieldset.question { border:1px solid var(--line); border-left:4px solid var(--line); border-radius:6px; margin:0 0 .7rem; padding:.4rem .8rem .6rem; }
fieldset.question.focused { border-left-color:var(--accent); background:#f3f7fc; }
fieldset.question legend { font-weight:600; padding:0 .3rem; }
ul.evidence { margin:.2rem 0 .4rem; padding-left:1.2rem; font-size:.9rem; }
.answers label { margin-right:.8rem; white-space:nowrap; }
kbd { border:1px solid #aab3bd; border-bottom-width:2px; border-radius:3px; padding:0 .3rem; font-size:.8rem; background:#fff; }
.chart svg { max-width:100%; height:auto; }
.headline { display:grid; grid-template-columns:repeat(auto-fill,minmax(min(12rem,100%),1fr)); gap:.6rem; margin-bottom:1rem; }
.headline .panel { margin:0; } .headline strong { display:block; font-size:1.5rem; }
@media (max-width: 900px) { .columns { grid-template-columns:repeat(2,minmax(0,1fr)); } .grid2 { grid-template-columns:minmax(0,1fr); } }
@media (max-width: 600px) { .columns { grid-template-columns:1fr; } main { padding:.6rem; } header .who { margin-left:0; width:100%; } dl.fields { grid-template-columns:1fr; } dl.fields dd { margin-bottom:.3rem; } table { font-size:.85rem; } }
`;
