import sys, os
sys.path.insert(0,'benchmarks'); sys.path.insert(0,'.')
import fit_align as F
from align_data import mac, textberg, synthetic_edge_cases
F.HYPER.update(epochs=int(os.environ.get('EPOCHS',25)), loss=0.6)
mode=sys.argv[1]; bridged = mode.startswith('mt')
synth=synthetic_edge_cases()
tb=[F.Prepared(d, bridged) for d in textberg()]
sets=[tb]+([[F.Prepared(d, True) for d in mac()]] if mode=='mt' else [])+[[F.Prepared(d, bridged) for d in synth if (d.name!='zh_seeds' or mode=='mt')]]
train=[p for s in sets for p in s if p is not tb[0]]
m=F.fit(train, mode)
p=tb[0]
path=F.run_dp(p.scorer(m.weights))
for a,b,c,d in path:
    if d>=10 and c<=56: print((a,b,c,d), [x[:50] for x in p.doc.src[a:b]], [x[:40] for x in p.doc.tgt[c:d]])
print({k:round(v,2) for k,v in m.weights.items()})
