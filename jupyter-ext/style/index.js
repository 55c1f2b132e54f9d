import './base.css';
import './dp.css';
import './review.css';
import './file-gate.css';
