import './base.css';
import './dp.css';
