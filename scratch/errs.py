import sys, collections
sys.path.insert(0,'benchmarks'); sys.path.insert(0,'.')
import fit_align as F
from align_data import mac, textberg, synthetic_edge_cases
F.HYPER.update(epochs=50, loss=0.6)
mode=sys.argv[1]
synth=synthetic_edge_cases()
mac_docs, tb_docs = mac(), textberg()
plan = {
 "mt-lex": lambda: [[F.Prepared(d, True) for d in mac_docs]] + [[F.Prepared(d, True) for d in synth if d.name == "zh_seeds"]],
 "mt": lambda: [[F.Prepared(d, True) for d in tb_docs], [F.Prepared(d, True) for d in mac_docs]] + [[F.Prepared(d, True) for d in synth]],
 "lex": lambda: [[F.Prepared(d, False) for d in mac_docs]],
 "plain": lambda: [[F.Prepared(d, False) for d in tb_docs]] + [[F.Prepared(d, False) for d in synth if d.name != "zh_seeds"]],
}
sets=plan[mode]()
preps=sets[0]
conf=collections.Counter()
for fold in F.folds([p.doc for p in preps]):
    train=[p for s in sets for p in s if not (s is preps and s.index(p) in fold)]
    m=F.fit(train, mode)
    for i in fold:
        p=preps[i]
        path=F.run_dp(p.scorer(m.weights))
        pred={(tuple(range(a,b)),tuple(range(c,d))) for a,b,c,d in path}
        gold={(tuple(s),tuple(t)) for s,t in p.doc.gold}
        ty=lambda b:f"{len(b[0])}-{len(b[1])}"
        for g in gold:
            conf[('gold',ty(g),'ok' if g in pred else 'miss')]+=1
        for b in pred:
            if b not in gold: conf[('pred-wrong',ty(b))]+=1
for k in sorted(conf): print(k, conf[k])

# dump regions for the last fold's docs
import itertools
p=preps[fold[-1]]
path=F.run_dp(p.scorer(m.weights))
pred=[(tuple(range(a,b)),tuple(range(c,d))) for a,b,c,d in path]
gold=[(tuple(s),tuple(t)) for s,t in p.doc.gold]
gs=set(gold); ps=set(pred)
shown=0
for g in gold:
    if g in ps or not g[0]: continue
    i=g[0][0]
    near=[b for b in pred if b[0] and abs(b[0][0]-i)<=2]
    print('GOLD', [x for x in gold if x[0] and abs(x[0][0]-i)<=2])
    print('PRED', near)
    for s in range(max(0,i-1), min(len(p.doc.src), i+3)):
        print('  zh',s,p.doc.src[s][:80]); print('  mt',s,p.doc.bridge[s][:120])
    js=sorted({j for b in near for j in b[1]})
    for j in js: print('  en',j,p.doc.tgt[j][:120])
    shown+=1
    if shown>12: break
