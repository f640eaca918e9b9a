import { vendorIds, vendors } from '../../../../connectors/vendors.js';

/** The settings pages' one style sheet, served from /assets/app.css (the CSP allows no inline script). */
export const appStyles = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#f4f5f7;color:#1d2330;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
a{color:#1f5fbf}
a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #f0b429;outline-offset:2px}
.top{background:#17324d;color:#fff}
.top .inner{max-width:1180px;margin:0 auto;padding:10px 20px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
.brand{font-weight:700;font-size:1.1rem;color:#fff;text-decoration:none;margin-right:8px}
.top nav{display:flex;gap:4px;flex-wrap:wrap;flex:1}
.top nav a{color:#d7e3f1;text-decoration:none;padding:6px 9px;border-radius:6px;white-space:nowrap}
.top nav a[aria-current=page]{background:#2d5178;color:#fff}
.top nav a:hover{background:#24466b;color:#fff}
.top .who{display:flex;gap:8px;align-items:center;font-size:.9rem;color:#d7e3f1}
.top .who form{margin:0}
.top select{padding:4px 6px;border-radius:6px;border:0;font:inherit;max-width:220px}
.linkish{background:none;border:0;color:#d7e3f1;text-decoration:underline;cursor:pointer;font:inherit;padding:0}
main{max-width:1180px;margin:0 auto;padding:20px}
h1{font-size:1.5rem;margin:0 0 4px}
h2{font-size:1.15rem;margin:0 0 10px}
h3{font-size:1rem;margin:14px 0 6px}
.lede{color:#4a5568;margin:0 0 18px}
.card{background:#fff;border-radius:10px;padding:18px 20px;margin:0 0 18px;box-shadow:0 1px 2px rgba(16,24,40,.08),0 0 0 1px rgba(16,24,40,.04)}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:14px;margin:0 0 18px}
.stat{background:#fff;border-radius:10px;padding:14px 16px;box-shadow:0 1px 2px rgba(16,24,40,.08)}
.stat .label{color:#5b6475;font-size:.85rem}
.stat .value{font-size:1.45rem;font-weight:700;margin-top:2px}
.stat .sub{color:#5b6475;font-size:.85rem}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:8px 8px;border-top:1px solid #e6e8ec;vertical-align:top}
th{font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;color:#5b6475;border-top:0}
td.num,th.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.table-wrap{overflow-x:auto}
@media (max-width:600px){:not(.table-wrap)>table{display:block;overflow-x:auto}}
.skip{position:absolute;left:-10000px;top:8px}
.skip:focus{left:8px;z-index:10;background:#fff;color:#17324d;padding:8px 12px;border-radius:6px;font-weight:600}
.muted{color:#5b6475}
.small{font-size:.85rem}
.pill{display:inline-block;border-radius:999px;padding:1px 9px;font-size:.8rem;background:#e8edf5;color:#27364a;white-space:nowrap}
.pill.warn{background:#fff3d6;color:#7a4b00}
.pill.bad{background:#fde4e1;color:#8a1c11}
.pill.good{background:#dff3e4;color:#1d5b2c}
.banner{padding:12px 16px;border-radius:8px;margin:0 0 16px}
.banner.ok{background:#e6f4ea;border:1px solid #8bc79a}
.banner.problem{background:#fdecea;border:1px solid #e59c95}
.banner.info{background:#eef3fb;border:1px solid #a9c1e8}
.banner ul{margin:6px 0 0;padding-left:20px}
button,.button{display:inline-block;background:#1f5fbf;color:#fff;border:0;border-radius:7px;padding:8px 14px;font:inherit;text-decoration:none;cursor:pointer;line-height:1.3}
button.secondary,.button.secondary{background:#e8edf5;color:#1d2330}
button.danger,.button.danger{background:#b42318}
button.small{padding:4px 9px;font-size:.85rem}
form.inline{display:inline}
label{display:block;font-weight:600;margin:10px 0 4px}
label.check{font-weight:400;display:flex;gap:6px;align-items:center;margin:6px 0}
input[type=text],input[type=number],input[type=email],input[type=url],input[type=tel],input[type=time],select,textarea{font:inherit;padding:7px 9px;border:1px solid #b8bfcc;border-radius:6px;background:#fff;width:100%;max-width:420px}
input[type=number]{max-width:120px}
textarea{max-width:100%;min-height:160px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem}
.field-error{color:#b42318;font-size:.85rem;margin:2px 0 0}
[aria-invalid=true]{border-color:#b42318 !important;background:#fff8f7 !important}
.hint{color:#5b6475;font-size:.85rem;margin:2px 0 0}
.row{display:flex;gap:14px;flex-wrap:wrap;align-items:flex-end}
.row>div{min-width:0}
.steps td{padding:6px 6px}
.steps input[type=text]{max-width:150px}
.steps select{max-width:150px}
.actions{display:flex;gap:8px;flex-wrap:wrap;margin-top:14px}
.split{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:18px}
.split.wide-left{grid-template-columns:minmax(0,3fr) minmax(0,2fr)}
fieldset{border:0;padding:0;margin:14px 0 0}
legend{font-weight:600;padding:0;margin-bottom:4px}
@media (max-width:900px){.split,.split.wide-left{grid-template-columns:1fr}}
iframe.preview{width:100%;min-height:520px;border:1px solid #d0d5dd;border-radius:8px;background:#fff}
pre.plain{white-space:pre-wrap;overflow-wrap:anywhere;background:#f7f7f8;border:1px solid #e6e8ec;border-radius:8px;padding:12px;font-size:.85rem}
.bars{display:grid;gap:8px}
.bar{display:grid;grid-template-columns:110px 1fr 140px;gap:10px;align-items:center}
.bar .track{background:#eef1f5;border-radius:6px;height:22px;overflow:hidden}
.bar .fill{background:#3b7dd8;height:100%}
.bar .fill.late{background:#d9822b}
.bar .fill.later{background:#c4462b}
.timeline{list-style:none;margin:0;padding:0}
.timeline li{border-left:3px solid #d0d5dd;padding:4px 0 12px 14px;position:relative}
.timeline li::before{content:"";position:absolute;left:-7px;top:9px;width:11px;height:11px;border-radius:50%;background:#3b7dd8}
.timeline .when{color:#5b6475;font-size:.85rem}
.timeline details{margin-top:4px}
.empty{color:#5b6475;font-style:italic}
.public{max-width:560px;margin:60px auto;padding:0 20px}
.public .card{padding:28px}
.choices{display:grid;gap:10px;margin-top:14px}
.choices .button{text-align:center;padding:11px 16px}
${vendorIds.map((vendor) => `.${vendors[vendor].buttonClass}{background:${vendors[vendor].brandColour}}`).join('\n')}
.forecast-list{list-style:none;margin:0;padding:0}
.forecast-entry{display:grid;grid-template-columns:3.5em minmax(0,1fr);gap:10px;padding:10px 0;border-top:1px solid #e6e8ec}
.forecast-entry:first-child{border-top:0;padding-top:0}
.forecast-entry .when{font-variant-numeric:tabular-nums;color:#5b6475;font-weight:600}
.forecast-entry .what{min-width:0;overflow-wrap:anywhere}
.forecast-entry .pill{white-space:normal}
.forecast-day h2{display:flex;justify-content:space-between;align-items:baseline;gap:8px;flex-wrap:wrap}
.forecast-changes{margin:0;padding-left:20px;overflow-wrap:anywhere}
.forecast-changes li{margin:4px 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.facts dt{color:#5b6475}
dl.facts dd{margin:0}
`;
