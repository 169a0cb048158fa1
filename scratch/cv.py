import sys, json, functools, os, time
sys.path.insert(0,'benchmarks'); sys.path.insert(0,'.')
import fit_align as F
import workbench.align as WA
from align_data import mac, textberg, synthetic_edge_cases, with_blocks
F.HYPER.update(epochs=int(os.environ.get('EPOCHS',50)), loss=float(os.environ.get('LOSS',0.6)))
kw=json.loads(os.environ.get('P','{}'))
if 'ngrams' in kw: kw['ngrams']=tuple(kw['ngrams'])
F.build_inputs=functools.partial(WA.build_inputs, params=WA.AlignParams(**kw))
import workbench.align.search as S
if os.environ.get('NOGAIN'):
    _init=S._Band.__init__
    def init(self,*a,**k):
        _init(self,*a,**k); self.gains=False
    S._Band.__init__=init
synth=synthetic_edge_cases()
mac_docs, tb_docs = mac(), textberg()
blocks=[with_blocks(d, tb_docs[(n + 1 + c) % len(tb_docs)], seed=c) for c in range(int(os.environ.get('BLOCKS','0'))) for n, d in enumerate(tb_docs)]
plan = {
 "mt-lex": lambda: [[F.Prepared(d, True) for d in mac_docs]] + [[F.Prepared(d, True) for d in synth if d.name == "zh_seeds"]],
 "mt": lambda: [[F.Prepared(d, True) for d in tb_docs], [F.Prepared(d, True) for d in mac_docs]] + [[F.Prepared(d, True) for d in synth]] + ([[F.Prepared(d, True) for d in blocks]] if blocks else []),
 "lex": lambda: [[F.Prepared(d, False) for d in mac_docs]],
 "plain": lambda: [[F.Prepared(d, False) for d in tb_docs]] + [[F.Prepared(d, False) for d in synth if d.name != "zh_seeds"]] + ([[F.Prepared(d, False) for d in blocks]] if blocks else []),
}
for mode in sys.argv[1].split(','):
    t=time.time()
    cv=F.cross_validate(plan[mode](), mode)
    print(os.environ.get('P',''), os.environ.get('TAG',''), mode, {k: round(v,4) for k,v in cv.items()}, f"{time.time()-t:.0f}s", flush=True)
